//! Regenerates `theme/syntax.css`: syntect's class-based highlighting palettes, compacted.
//! Each palette sits under its own `prefers-color-scheme` query so the two never mix.
//! Rules for editor furniture (find-in-files, git gutter, linters) are dropped, every
//! colour is darkened (light) or lightened (dark) until it reads at 4.5:1 or more on the
//! theme's code background (`--surface` in style.css), and the CSS is minified. Pages
//! link the file only when they show highlighted code.
//!
//! `cargo run --example syntax-css > theme/syntax.css`

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle};

/// Code background of the built-in theme (`--surface`), light and dark.
const LIGHT_BG: [u8; 3] = [0xf5, 0xf7, 0xfa];
const DARK_BG: [u8; 3] = [0x1b, 0x1f, 0x25];

/// WCAG AA for normal text, with a little room for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// Selectors nested deeper than this are left out: InspiredGitHub restates its JSON
/// colours for every level of nesting up to sixteen, a third of its size for a detail.
const MAX_DEPTH: usize = 3;

/// Scopes never produced by highlighting a code block: the theme's own background, and
/// editor furniture.
const DROPPED: &[&str] = &[
    ".hl-code",
    ".hl-none",
    ".hl-find-in-files",
    ".hl-git_gutter",
    ".hl-sublimelinter",
    ".hl-brackethighlighter",
];

fn main() {
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style)
        .expect("light palette");
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style)
        .expect("dark palette");
    println!("/* Code highlighting palettes, compacted (`cargo run --example syntax-css`). */");
    println!(
        "@media (prefers-color-scheme:light){{\n{}}}",
        compact(&light, LIGHT_BG)
    );
    println!(
        "@media (prefers-color-scheme:dark){{\n{}}}",
        compact(&dark, DARK_BG)
    );
}

/// One CSS rule: its selectors and declarations.
#[derive(PartialEq)]
struct Rule {
    selectors: Vec<String>,
    declarations: Vec<(String, String)>,
}

/// The palette `css` as minified rules, colours made readable on `bg`.
fn compact(css: &str, bg: [u8; 3]) -> String {
    let mut rules: Vec<Rule> = Vec::new();
    for rule in parse(&strip_comments(css)) {
        let Some(rule) = keep(rule, bg) else { continue };
        match rules.last_mut() {
            // Adjacent rules that say the same thing become one.
            Some(last) if last.declarations == rule.declarations => {
                for s in rule.selectors {
                    if !last.selectors.contains(&s) {
                        last.selectors.push(s);
                    }
                }
            }
            _ => rules.push(rule),
        }
    }
    rules
        .iter()
        .map(|r| {
            let declarations: Vec<String> = r
                .declarations
                .iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect();
            format!("{}{{{}}}\n", r.selectors.join(","), declarations.join(";"))
        })
        .collect()
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

fn parse(css: &str) -> Vec<Rule> {
    css.split('}')
        .filter_map(|chunk| {
            let (selectors, body) = chunk.split_once('{')?;
            let mut seen: Vec<String> = Vec::new();
            for s in selectors.split(',') {
                let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if !s.is_empty() && !seen.contains(&s) {
                    seen.push(s);
                }
            }
            let declarations = body
                .split(';')
                .filter_map(|d| {
                    let (k, v) = d.split_once(':')?;
                    Some((k.trim().to_string(), v.trim().to_string()))
                })
                .collect();
            Some(Rule {
                selectors: seen,
                declarations,
            })
        })
        .collect()
}

/// The rule without editor selectors, with readable colours; `None` if nothing is left.
fn keep(mut rule: Rule, bg: [u8; 3]) -> Option<Rule> {
    rule.selectors.retain(|s| {
        s.split(' ').count() <= MAX_DEPTH
            && !DROPPED
                .iter()
                .any(|d| s.split([' ', '.']).any(|p| p == &d[1..]))
    });
    if rule.selectors.is_empty() {
        return None;
    }
    let own_bg = rule
        .declarations
        .iter()
        .find(|(k, _)| k == "background-color")
        .and_then(|(_, v)| hex(v));
    rule.declarations = rule
        .declarations
        .into_iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "color" | "background-color" | "font-weight" | "font-style"
            )
        })
        .map(|(k, v)| {
            let v = match (k.as_str(), hex(&v)) {
                ("color", Some(c)) => short(readable(c, own_bg.unwrap_or(bg))),
                (_, Some(c)) => short(c),
                _ => v,
            };
            (k, v)
        })
        .collect();
    (!rule.declarations.is_empty()).then_some(rule)
}

fn hex(v: &str) -> Option<[u8; 3]> {
    let h = v.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// `#aabbcc` as `#abc` where it can be.
fn short(c: [u8; 3]) -> String {
    if c.iter().all(|b| b >> 4 == b & 0xf) {
        format!("#{:x}{:x}{:x}", c[0] & 0xf, c[1] & 0xf, c[2] & 0xf)
    } else {
        format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
    }
}

fn luminance(c: [u8; 3]) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` moved away from `bg` (toward black if it is the darker of the two, else toward
/// white), in small steps, until it reaches the minimum contrast on `bg`.
fn readable(mut c: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    let target = if luminance(c) <= luminance(bg) {
        0.0
    } else {
        255.0
    };
    for _ in 0..100 {
        if contrast(c, bg) >= MIN_CONTRAST {
            break;
        }
        c = c.map(|v| (f64::from(v) + (target - f64::from(v)) * 0.05).round() as u8);
    }
    c
}
