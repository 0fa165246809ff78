//! Pagination of long lists (docs/content.md#pagination): how many pages a list of `n`
//! items takes, which items a page holds, each page's URL, and the `paginator` a
//! template receives (docs/templates.md#pagination). Page 1 is the list's own URL;
//! page `N` is `<list>page/N/`. Knows nothing of what the items are.

use std::ops::Range;

use serde::Serialize;

/// How many page links the navigation shows on each side of the current page (the first
/// and last page are always shown).
const WINDOW: usize = 2;

/// The number of pages a list of `items` takes, at `per_page` items a page: at least one,
/// so that an empty list still has its page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The items page `number` (from 1) holds, as a range of indexes into the list; empty
/// for a page past the end.
pub fn page_items(items: usize, per_page: usize, number: usize) -> Range<usize> {
    let per_page = per_page.max(1);
    let start = number.saturating_sub(1).saturating_mul(per_page).min(items);
    start..start.saturating_add(per_page).min(items)
}

/// The URL of page `number` of the list at `base` (which ends in `/`): `base` itself for
/// page 1, `<base>page/<number>/` after it.
pub fn page_url(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// What a template receives as `paginator` on a page of a list.
#[derive(Debug, Serialize, Hash, PartialEq, Eq)]
pub struct Paginator {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// How many items a page holds at most (`paginate_by`).
    pub per_page: usize,
    /// How many items the whole list has.
    pub items: usize,
    /// The position (from 1) of this page's first item in the list (0 for an empty list).
    pub first_item: usize,
    /// The position of this page's last item (0 for an empty list).
    pub last_item: usize,
    /// The list's own URL (page 1).
    pub first_url: String,
    /// The last page's URL.
    pub last_url: String,
    /// The previous page's URL, if there is one.
    pub prev_url: Option<String>,
    /// The next page's URL, if there is one.
    pub next_url: Option<String>,
    /// The pages the navigation links: the first, the last, and those within two of the
    /// current one, in order.
    pub links: Vec<PageLink>,
}

/// One page the navigation links.
#[derive(Debug, Serialize, Hash, PartialEq, Eq)]
pub struct PageLink {
    /// Its number, from 1.
    pub number: usize,
    /// Its URL.
    pub url: String,
    /// Whether it is the page being shown.
    pub current: bool,
    /// Whether pages are left out between the link before this one and this one.
    pub gap_before: bool,
}

impl Paginator {
    /// The paginator of page `current` of the list at `base` of `items` items.
    pub fn new(base: &str, items: usize, per_page: usize, current: usize) -> Paginator {
        let total = page_count(items, per_page);
        let current = current.clamp(1, total);
        let range = page_items(items, per_page, current);
        let mut links = Vec::new();
        let mut last_shown = 0;
        for number in 1..=total {
            let near = number.abs_diff(current) <= WINDOW;
            if number == 1 || number == total || near {
                links.push(PageLink {
                    number,
                    url: page_url(base, number),
                    current: number == current,
                    gap_before: last_shown != 0 && number != last_shown + 1,
                });
                last_shown = number;
            }
        }
        Paginator {
            current,
            total,
            per_page,
            items,
            first_item: if range.is_empty() { 0 } else { range.start + 1 },
            last_item: range.end,
            first_url: page_url(base, 1),
            last_url: page_url(base, total),
            prev_url: (current > 1).then(|| page_url(base, current - 1)),
            next_url: (current < total).then(|| page_url(base, current + 1)),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_slices() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_items(25, 10, 1), 0..10);
        assert_eq!(page_items(25, 10, 3), 20..25);
        assert_eq!(page_items(25, 10, 4), 25..25);
        assert_eq!(page_items(0, 10, 1), 0..0);
    }

    #[test]
    fn urls() {
        assert_eq!(page_url("/briefs/", 1), "/briefs/");
        assert_eq!(page_url("/briefs/", 2), "/briefs/page/2/");
    }

    #[test]
    fn links_keep_first_last_and_a_window() {
        let p = Paginator::new("/b/", 100, 10, 5);
        let numbers: Vec<usize> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 3, 4, 5, 6, 7, 10]);
        let gaps: Vec<bool> = p.links.iter().map(|l| l.gap_before).collect();
        assert_eq!(gaps, [false, true, false, false, false, false, true]);
        assert_eq!(p.prev_url.as_deref(), Some("/b/page/4/"));
        assert_eq!(p.next_url.as_deref(), Some("/b/page/6/"));
        assert_eq!((p.first_item, p.last_item), (41, 50));
        let last = Paginator::new("/b/", 100, 10, 10);
        assert_eq!(last.next_url, None);
        assert_eq!(last.last_url, "/b/page/10/");
        let first = Paginator::new("/b/", 5, 10, 1);
        assert_eq!((first.total, first.prev_url.clone()), (1, None));
        assert_eq!(first.links.len(), 1);
    }
}
