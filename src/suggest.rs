//! "Did you mean …?": the nearest known name to a misspelt one, by edit distance.

/// The candidate closest to `input`, if it is close enough to be a likely typo: within a
/// third of the longer name's length (at least 1) in Damerau-Levenshtein distance, ignoring
/// case; the nearest, then the first in byte order.
///
/// Candidates that cannot be that close are left out before the distance is computed,
/// by two bounds it never falls below: the difference in length, and (for ASCII names)
/// the difference in letters counted without their order. A hint is built for every
/// unknown reference, against every known name: the bounds keep that from growing with
/// both.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let input_chars = input.chars().count();
    let input_lower_chars = input_lower.chars().count();
    let input_letters = Letters::of(&input_lower);
    candidates
        .into_iter()
        .filter_map(|c| {
            let limit = (c.chars().count().max(input_chars) / 3).max(1);
            let lower = c.to_lowercase();
            if lower.chars().count().abs_diff(input_lower_chars) > limit {
                return None;
            }
            if let (Some(a), Some(b)) = (&input_letters, Letters::of(&lower)) {
                if a.distance(&b) > limit {
                    return None;
                }
            }
            let distance = strsim::damerau_levenshtein(&input_lower, &lower);
            (distance <= limit).then_some((distance, c))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// How many times each ASCII character occurs in a name.
struct Letters([u16; 128]);

impl Letters {
    /// The counts of `text`, if it is ASCII (and not absurdly long).
    fn of(text: &str) -> Option<Letters> {
        if !text.is_ascii() || text.len() > usize::from(u16::MAX) {
            return None;
        }
        let mut counts = [0u16; 128];
        for b in text.bytes() {
            counts[usize::from(b)] += 1;
        }
        Some(Letters(counts))
    }

    /// The larger of what either has that the other lacks. Every edit changes each side
    /// by at most one (a transposition by none), so no edit distance is smaller.
    fn distance(&self, other: &Letters) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

/// A hint sentence for a near miss, or a list of what is allowed.
pub fn did_you_mean(input: &str, candidates: &[&str]) -> String {
    match nearest(input, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of: {}", candidates.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_miss() {
        let keys = ["title", "key_points", "recommendations"];
        assert_eq!(nearest("key_point", keys), Some("key_points"));
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("zzzzzz", keys), None);
    }

    /// `nearest` without the bounds: the distance to every candidate.
    fn nearest_plainly<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let input_lower = input.to_lowercase();
        candidates
            .iter()
            .map(|c| {
                let d = strsim::damerau_levenshtein(&input_lower, &c.to_lowercase());
                (d, *c)
            })
            .filter(|(d, c)| *d <= (c.chars().count().max(input.chars().count()) / 3).max(1))
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
            .map(|(_, c)| c)
    }

    #[test]
    fn the_bounds_leave_out_no_candidate_that_is_near() {
        let candidates = [
            "iran",
            "iraq",
            "irgc",
            "hezbollah",
            "hizbullah",
            "kataib-hezbollah",
            "isis",
            "is",
            "united-states",
            "united-nations",
            "un",
            "unami",
            "Quds-Force",
            "qods-force",
            "élysée",
            "elysee",
            "straße",
            "strasse",
            "ab",
            "ba",
            "abc",
            "acb",
            "cab",
            "",
        ];
        let inputs = [
            "irna",
            "iraq",
            "irg",
            "hezbolah",
            "hizballah",
            "kataib-hizbollah",
            "sisi",
            "si",
            "unitedstates",
            "united-nation",
            "nu",
            "unmai",
            "quds-force",
            "QODS-FORCE",
            "elysée",
            "ÉLYSÉE",
            "strase",
            "STRASSE",
            "a",
            "abc",
            "bca",
            "x",
            "",
            "zzzzzzzz",
        ];
        for input in inputs {
            assert_eq!(
                nearest(input, candidates.iter().copied()),
                nearest_plainly(input, &candidates),
                "{input}"
            );
        }
    }

    #[test]
    fn the_letter_bound_is_below_the_distance() {
        let pairs = [
            ("abc", "cba"),
            ("hezbollah", "hizbullah"),
            ("abcd", "badc"),
            ("", "abc"),
        ];
        for (a, b) in pairs {
            let (x, y) = (Letters::of(a).unwrap(), Letters::of(b).unwrap());
            assert!(
                x.distance(&y) <= strsim::damerau_levenshtein(a, b),
                "{a} {b}"
            );
        }
        // Counted without order: a transposition costs nothing.
        let (x, y) = (Letters::of("ab").unwrap(), Letters::of("ba").unwrap());
        assert_eq!(x.distance(&y), 0);
    }
}
