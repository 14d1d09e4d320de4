//! Words as the index and the reader's query see them: the same folding of spellings
//! ([`normalize`]) and the same light stemming ([`forms`]) at index time (here) and at query
//! time (the theme's `search.js`, which implements these rules line for line; a test runs it
//! with Node over words of the shipped site and compares).
//!
//! The stemmer is chosen by the script of each word, not by the page's language (so a Latin
//! name in an Arabic page is treated as the French pages treat it, and nothing here names a
//! language):
//!
//! - Arabic script: Larkey's *light10* stemmer (Larkey, Ballesteros and Connell, "Light
//!   Stemming for Arabic Information Retrieval", 2007), on folded text: و removed when three
//!   letters or more remain; then the first of the articles وال بال كال فال لل ال that leaves
//!   two letters or more; then, once each and in this order, the suffixes ها ان ات ون ين يه ه ي
//!   (ة is already folded to ه) when two letters or more remain. Light10 leaves the attached
//!   prepositions ب ك ل ف alone (they are often the word's first root letter) and strips و
//!   even where it is one (وطني): both readings are kept, as further forms of the word.
//! - Latin script: the light French stemmer of Savoy ("Light stemming approaches for the
//!   French, Portuguese, German and Hungarian languages", 2006; Lucene's `FrenchLightStemmer`),
//!   applied to accent-folded words: plural `s`/`x` (`-aux` → `-al`), then one of its common
//!   derivational and feminine suffixes, then its final `-ie`, `-r`, `-e` and doubled letter.
//!   Savoy's rules that differ only by an accent are merged; its rule removing every doubled
//!   letter is left out (it makes `femm`, typed on the way to « femmes », stem apart from it).
//! - Other words (numbers, other scripts): as folded.
//!
//! Why hand-written rather than the Snowball stemmers of `rust-stemmers` with Snowball's
//! JavaScript output in the theme: Snowball's French stemmer reads accents (`-ité`, `-ème`), so
//! run before accent folding it stems « securite », typed without accents, apart from
//! « sécurité », and run after folding most of its rules never fire; its Arabic stemmer strips
//! far more (verb forms, ب ك ل ف) than a search box wants. And the two sides of a search must
//! give identical stems: two short implementations of a published light stemmer, checked
//! against each other on the site's own words, stay in step more simply than a crate and a
//! vendored generated file whose versions must match.

/// Folds what readers type differently for the same word: lower case; French accents and
/// ligatures (é → e, œ → oe); Arabic harakat, Quranic marks and the superscript alef removed;
/// tatweel removed; أ إ آ ٱ → ا; ة → ه; ى → ي; Arabic-Indic digits → 0-9. Everything that is
/// not a letter or a digit becomes a space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            c if is_mark(c) => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ة' => out.push('ه'),
            'ى' => out.push('ي'),
            '٠'..='٩' => out.push(char::from(b'0' + (ch as u32 - '٠' as u32) as u8)),
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Marks removed inside words: combining Latin accents, Arabic harakat and signs, tatweel,
/// joiners.
pub fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{200C}'..='\u{200F}')
}

/// A character that belongs to a word (the rest separates words).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Words of fewer characters are not indexed, and a query waits for two.
pub const MIN_CHARS: usize = 2;

/// The writing system of a word, which picks its stemmer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Script {
    Arabic,
    Latin,
    Other,
}

impl Script {
    pub fn name(self) -> &'static str {
        match self {
            Script::Arabic => "arabic",
            Script::Latin => "latin",
            Script::Other => "",
        }
    }
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Arabic when a letter is Arabic, Latin when every letter is Latin (digits aside).
pub fn script(word: &str) -> Script {
    let mut latin = false;
    for c in word.chars() {
        if is_arabic(c) {
            return Script::Arabic;
        }
        if c.is_alphabetic() {
            if !is_latin(c) {
                return Script::Other;
            }
            latin = true;
        }
    }
    if latin { Script::Latin } else { Script::Other }
}

/// One reading of a word: its `stem`, which the index holds and a query word matches exactly,
/// and the `whole` word with its prefixes removed but its suffixes kept, which a query word
/// being typed matches as a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub stem: String,
    pub whole: String,
}

/// The readings of a normalised word, the first the stemmer's own, then the other readings of
/// an Arabic word's first letter (see the module's documentation). A word is indexed under
/// every stem, the first with full weight.
pub fn forms(word: &str) -> Vec<Form> {
    let chars: Vec<char> = word.chars().collect();
    match script(word) {
        Script::Arabic => arabic(&chars),
        Script::Latin => vec![Form {
            stem: french(&chars),
            whole: word.to_string(),
        }],
        Script::Other => vec![Form {
            stem: word.to_string(),
            whole: word.to_string(),
        }],
    }
}

const AR_ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];
const AR_SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];
const AR_ATTACHED: [char; 4] = ['ب', 'ك', 'ل', 'ف'];
const WAW: char = 'و';

fn starts(w: &[char], p: &str) -> bool {
    let n = p.chars().count();
    w.len() >= n && w.iter().zip(p.chars()).all(|(a, b)| *a == b)
}

fn ends(w: &[char], s: &str) -> bool {
    let n = s.chars().count();
    w.len() >= n && w[w.len() - n..].iter().zip(s.chars()).all(|(a, b)| *a == b)
}

fn arabic(w: &[char]) -> Vec<Form> {
    let waw = w.len() >= 4 && w[0] == WAW;
    let rest = if waw { &w[1..] } else { w };
    for article in AR_ARTICLES {
        let n = article.chars().count();
        if starts(rest, article) && rest.len() >= n + 2 {
            return vec![arabic_form(&rest[n..])];
        }
    }
    let mut out = vec![arabic_form(rest)];
    if waw {
        out.push(arabic_form(w));
    }
    if rest.len() >= 4 && AR_ATTACHED.contains(&rest[0]) {
        out.push(arabic_form(&rest[1..]));
    }
    let mut unique: Vec<Form> = Vec::with_capacity(out.len());
    for f in out {
        if !unique.iter().any(|u| u.stem == f.stem) {
            unique.push(f);
        }
    }
    unique
}

fn arabic_form(w: &[char]) -> Form {
    let mut end = w.len();
    for suffix in AR_SUFFIXES {
        let n = suffix.chars().count();
        if ends(&w[..end], suffix) && end >= n + 2 {
            end -= n;
        }
    }
    Form {
        stem: w[..end].iter().collect(),
        whole: w.iter().collect(),
    }
}

/// Savoy's suffixes on folded words: (suffix, the word must be longer than, replacement). The
/// first that fits is replaced.
const FR_SUFFIXES: [(&str, usize, &str); 20] = [
    ("issement", 9, "ir"),
    ("issant", 8, "ir"),
    ("ement", 6, "e"),
    ("atrice", 8, "er"),
    ("ateur", 7, "er"),
    ("trice", 6, "ter"),
    ("ieme", 5, ""),
    ("teuse", 7, "ter"),
    ("teur", 6, "ter"),
    ("euse", 5, "eu"),
    ("ere", 8, "er"),
    ("ive", 7, "if"),
    ("elle", 5, "el"),
    ("ete", 5, "et"),
    ("ique", 8, ""),
    ("esse", 8, "e"),
    ("inage", 7, "in"),
    ("isation", 9, "is"),
    ("ation", 8, ""),
    ("ition", 8, ""),
];

fn french(word: &[char]) -> String {
    let mut s = word.to_vec();
    let n = s.len();
    if n > 5 && s[n - 1] == 'x' {
        if s[n - 3] == 'a' && s[n - 2] == 'u' && s[n - 4] != 'e' {
            s[n - 2] = 'l';
        }
        s.pop();
    }
    if s.len() > 3 && s.last() == Some(&'x') {
        s.pop();
    }
    if s.len() > 3 && s.last() == Some(&'s') {
        s.pop();
    }
    for (suffix, longer, by) in FR_SUFFIXES {
        if s.len() > longer && ends(&s, suffix) {
            s.truncate(s.len() - suffix.len());
            s.extend(by.chars());
            if suffix == "ement" && ends(&s, "ive") {
                s.truncate(s.len() - 2);
                s.push('f');
            }
            break;
        }
    }
    french_endings(&mut s);
    s.into_iter().collect()
}

/// Savoy's last step: a final `-ie`, then `-r`, `-e`, `-e` and a doubled letter.
fn french_endings(s: &mut Vec<char>) {
    if s.len() > 4 && ends(s, "ie") {
        s.truncate(s.len() - 2);
    }
    if s.len() <= 4 {
        return;
    }
    for c in ['r', 'e', 'e'] {
        if s.len() > 2 && s.last() == Some(&c) {
            s.pop();
        }
    }
    let n = s.len();
    if n > 2 && s[n - 1] == s[n - 2] && s[n - 1].is_alphabetic() {
        s.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        forms(&normalize(word))[0].stem.clone()
    }

    fn stems(word: &str) -> Vec<String> {
        forms(&normalize(word))
            .into_iter()
            .map(|f| f.stem)
            .collect()
    }

    #[test]
    fn arabic_spellings_fold_together() {
        // Harakat and shadda, hamza forms, ta marbuta, alef maqsura, tatweel.
        assert_eq!(normalize("مُقَدِّمَة"), normalize("مقدمه"));
        assert_eq!(normalize("الأهداف"), "الاهداف");
        assert_eq!(normalize("إصدار آخر ٱلنص"), "اصدار اخر النص");
        assert_eq!(normalize("مستوى"), "مستوي");
        assert_eq!(normalize("التـــوصيات"), "التوصيات");
        assert_eq!(normalize("٢٠٢٣"), "2023");
    }

    #[test]
    fn french_accents_fold_and_punctuation_splits() {
        assert_eq!(normalize("Synthèse"), "synthese");
        assert_eq!(normalize("ÉCOLE Œuvre"), "ecole oeuvre");
        assert_eq!(
            normalize("l’enquête, « Résultats »"),
            "l enquete    resultats  "
        );
        // Decomposed accents (e + U+0301) give the same word as composed ones.
        assert_eq!(normalize("e\u{301}te\u{301}"), normalize("été"));
    }

    #[test]
    fn arabic_article_and_attached_prefixes_go() {
        // The words: with and without the article, with و + article.
        assert_eq!(stem("الابتكار"), "ابتكار");
        assert_eq!(stem("ابتكار"), "ابتكار");
        assert_eq!(stem("والتضامني"), "تضامن");
        assert_eq!(stem("تضامني"), "تضامن");
        assert_eq!(stem("المسؤولية"), "مسؤول");
        assert_eq!(stem("مسؤولية"), "مسؤول");
        assert_eq!(stem("للمسؤولية"), "مسؤول");
        assert_eq!(stem("بالمسؤولية"), "مسؤول");
        assert_eq!(stem("المسؤوليات"), "مسؤول");
        // The article only when two letters remain: ال + one letter stays.
        assert_eq!(stem("الي"), "ال");
        // A lone ب ك ل ف is kept by light10 and dropped by a second reading.
        assert_eq!(stems("بمسؤولية"), ["بمسؤول", "مسؤول"]);
        assert_eq!(stems("لجنة"), ["لجن", "جن"]);
        // و read as a conjunction, then as the first root letter.
        assert_eq!(stems("وطني"), ["طن", "وطن"]);
        assert_eq!(stem("الوطني"), "وطن");
        // Two letters stay (no stem shorter than a query can be).
        assert_eq!(stem("به"), "به");
    }

    #[test]
    fn french_plurals_and_suffixes_go() {
        for (a, b) in [
            ("femmes", "femme"),
            ("résultats", "résultat"),
            ("journaux", "journal"),
            ("sociales", "social"),
            ("économique", "économie"),
            ("développement", "développer"),
            ("frontières", "frontière"),
            ("culturelles", "culturel"),
            ("animatrice", "animateur"),
            ("organisation", "organiser"),
            ("formation", "former"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("femmes"), "fem");
        assert_eq!(stem("Jerada"), "jerada");
        assert_eq!(stem("PAVECO"), "paveco");
        assert_eq!(stem("ESS"), "ess");
        // Typed without accents, the same stem.
        assert_eq!(stem("securite"), stem("sécurité"));
        // The word being typed keeps its prefix: « femm » is on the way to « femmes ».
        assert!(stem("femmes").starts_with(&stem("fe")));
        assert_eq!(forms("femm")[0].whole, "femm");
    }

    #[test]
    fn scripts_pick_the_stemmer() {
        assert_eq!(script("ابتكار"), Script::Arabic);
        assert_eq!(script("oujda"), Script::Latin);
        assert_eq!(script("2020"), Script::Other);
        assert_eq!(script("αβγ"), Script::Other);
        assert_eq!(stem("2020"), "2020");
    }
}
