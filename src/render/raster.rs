//! PNG figures drawn at build time, without a browser: the standalone SVG of a chart parsed by
//! `usvg`, its text shaped with the theme's own TrueType fonts (`raster-fonts/`, read by
//! `load`; no system font is ever looked up, so every machine draws the same bytes) and
//! rasterised by `resvg` into a PNG.

use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

/// How many pixels per SVG unit: a 320-unit chart becomes a 640-pixel PNG, sharp on a
/// high-density phone and wide enough for a link preview (3 would cost 2.25 times the pixels
/// and about as much build time: measured in BENCHMARKS.md).
pub(crate) const SCALE: f32 = 2.0;

/// The fonts, loaded once per build.
pub(crate) struct Raster {
    fonts: Arc<fontdb::Database>,
    /// The family drawn when a text's families are all missing (the first font loaded).
    fallback: String,
}

impl std::fmt::Debug for Raster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raster")
            .field("faces", &self.fonts.len())
            .finish()
    }
}

impl Raster {
    /// A rasteriser with the font files `fonts` (TrueType or OpenType bytes).
    pub(crate) fn new<'a>(fonts: impl IntoIterator<Item = &'a [u8]>) -> Raster {
        let mut db = fontdb::Database::new();
        for bytes in fonts {
            db.load_font_data(bytes.to_vec());
        }
        let fallback = db
            .faces()
            .next()
            .and_then(|f| f.families.first())
            .map(|(name, _)| name.clone())
            .unwrap_or_default();
        // Generic families (`sans-serif` at the end of a stack) resolve to the theme's fonts.
        db.set_sans_serif_family(fallback.clone());
        db.set_serif_family(fallback.clone());
        Raster {
            fonts: Arc::new(db),
            fallback,
        }
    }

    /// The PNG of a standalone SVG document, `SCALE` pixels per unit.
    pub(crate) fn png(&self, svg: &str) -> Result<Vec<u8>, String> {
        let opt = usvg::Options {
            font_family: self.fallback.clone(),
            fontdb: Arc::clone(&self.fonts),
            languages: Vec::new(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("SVG: {e}"))?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(SCALE)
            .ok_or("empty figure")?;
        let mut pixmap =
            tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("figure too large")?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(SCALE, SCALE),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| format!("PNG: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_png_without_fonts_and_the_same_bytes_twice() {
        let r = Raster::new(std::iter::empty());
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="4" viewBox="0 0 10 4"><rect width="10" height="4" fill="#fff"/><rect width="5" height="4" fill="#0f4c5c"/></svg>"##;
        let a = r.png(svg).unwrap();
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, after the chunk length and type.
        let w = u32::from_be_bytes(a[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(a[20..24].try_into().unwrap());
        assert_eq!((w, h), (20, 8));
        assert_eq!(a, r.png(svg).unwrap());
        assert!(r.png("<svg").is_err());
    }
}
