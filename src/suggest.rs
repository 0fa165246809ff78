//! "Did you mean …?": the nearest known name to a misspelt one, by edit distance.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&input_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| {
            let limit = (c.chars().count().max(input.chars().count()) / 3).max(1);
            *distance <= limit
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
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
}
