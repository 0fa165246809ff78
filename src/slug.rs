//! Slugs and reference keys: how names become URL parts, and how actor references are
//! normalised before matching (docs/content.md#references).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase ASCII, hyphen-separated: `"Kata'ib Hezbollah"` → `kataib-hezbollah`.
/// Letters of other scripts are transliterated. Never empty: a name with nothing to keep
/// gives `"untitled"`.
pub fn slugify(input: &str) -> String {
    let ascii = deunicode::deunicode(input);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' || c == '.' {
            // Apostrophes and dots join: "Kata'ib" → "kataib", "U.S." → "us".
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("untitled");
    }
    slug
}

/// Whether `slug` is already a valid slug: lowercase ASCII letters and digits in groups
/// separated by single hyphens. Rules out `/`, `\`, `..` and empty slugs.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The longest slug, in bytes. A slug becomes a folder name, and file systems allow 255
/// bytes per name: this leaves room for the suffixes of staging and temporary files.
pub const MAX_SLUG_LEN: usize = 200;

/// If `slug` is too long to be a folder name: what to say, e.g. "makes a slug of 3000
/// characters; the longest allowed is 200".
pub fn too_long(slug: &str) -> Option<String> {
    (slug.len() > MAX_SLUG_LEN).then(|| {
        format!(
            "makes a slug of {} characters; the longest allowed is {MAX_SLUG_LEN}",
            slug.len()
        )
    })
}

/// `text`, cut to `max` characters with `…` when longer, for quoting in a message.
pub fn abbreviate(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The key an actor reference is matched by: NFKC, lowercase, Latin accents removed,
/// punctuation and spacing dropped. Letters of other scripts are kept as they are, so an
/// Arabic alias never normalises to nothing.
pub fn reference_key(input: &str) -> String {
    if input.is_ascii() {
        // NFKC and accent removal leave ASCII as it is.
        let mut key = String::with_capacity(input.len());
        key.extend(
            input
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return key;
    }
    let lowered: String = input.nfkc().flat_map(char::to_lowercase).collect();
    let mut key = String::with_capacity(lowered.len());
    let mut base_is_latin = false;
    for c in lowered.nfd() {
        if is_combining_mark(c) {
            if !base_is_latin && !key.is_empty() {
                key.push(c);
            }
            continue;
        }
        base_is_latin = (c as u32) < 0x250;
        if c.is_alphanumeric() {
            key.push(c);
        }
    }
    key.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_transliterates_and_joins() {
        assert_eq!(slugify("Kata'ib Hezbollah"), "kataib-hezbollah");
        assert_eq!(
            slugify("Rockets strike Al-Asad Air Base"),
            "rockets-strike-al-asad-air-base"
        );
        assert_eq!(
            slugify("U.S. airstrikes on the Iraq–Syria border"),
            "us-airstrikes-on-the-iraq-syria-border"
        );
        assert_eq!(slugify("Québec"), "quebec");
        assert_eq!(slugify("!!!"), "untitled");
    }

    #[test]
    fn valid_slugs() {
        assert!(is_valid_slug("crossfire"));
        assert!(is_valid_slug("2020-01-03-soleimani-killed"));
        assert!(!is_valid_slug("../evil"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug("Upper"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("a--b"));
    }

    #[test]
    fn long_slugs() {
        assert!(too_long(&"a".repeat(MAX_SLUG_LEN)).is_none());
        let message = too_long(&"a".repeat(3000)).unwrap_or_default();
        assert!(message.contains("3000"), "{message}");
        assert_eq!(abbreviate("abcdef", 3), "abc…");
        assert_eq!(abbreviate("abc", 3), "abc");
    }

    #[test]
    fn reference_keys() {
        assert_eq!(reference_key("KH"), reference_key("K.H."));
        assert_eq!(reference_key("Kata’ib Hezbollah"), "kataibhezbollah");
        assert_eq!(reference_key("Québec"), "quebec");
        assert_eq!(reference_key("ＩＲＧＣ"), "irgc");
        let arabic = reference_key("كتائب حزب الله");
        assert!(!arabic.is_empty());
        assert_eq!(arabic, "كتائبحزبالله");
    }
}
