//! Where a key of a free-shaped YAML map is, for errors about one entry (serde gives the
//! position of the map, not of its keys).

use crate::error::Position;

/// The line where `key:` appears as a mapping key at or after `from` (1-based), for errors
/// about entries of a free-shaped map (serde gives the position of the map, not of its keys).
pub(crate) fn key_line(text: &str, from: usize, key: &str) -> Position {
    for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let trimmed = line.trim_start();
        let plain = trimmed.strip_prefix('"').unwrap_or(trimmed);
        if plain.starts_with(key) && plain[key.len()..].trim_start_matches('"').starts_with(':') {
            return Position::new(i + 1, line.len() - trimmed.len() + 1);
        }
        // Also a key inside a flow map on the line: `{oui: 18, non: 82}`.
        if let Some(col) = line.find(&format!("{key}:"))
            && (col == 0 || matches!(line.as_bytes()[col - 1], b' ' | b'{' | b','))
        {
            return Position::new(i + 1, col + 1);
        }
    }
    Position::new(from, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_find_block_and_flow_keys() {
        let text = "values:\n  oujda: {oui: 18, non: 82}\n  safi:\n    oui: 1\n";
        assert_eq!(key_line(text, 1, "oujda").line, 2);
        assert_eq!(key_line(text, 1, "non"), Position::new(2, 20));
        assert_eq!(key_line(text, 3, "oui").line, 4);
    }
}
