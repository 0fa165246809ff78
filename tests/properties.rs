//! Property tests over generated content files: structured-ish YAML front matter (known and
//! unknown keys, odd types and dates, tabs, deep nesting, unicode, anchors and aliases) and
//! Markdown (links, images, headings, footnotes, tables, raw HTML, code fences, actor
//! names), driven through load → resolve → Markdown in a small site in a temporary folder.
//!
//! Properties: nothing panics; every diagnostic names a file and a line that exists in it
//! (and quotes that very line, when it quotes one); rendering the same input twice gives
//! the same output. The number of cases is 128, or `PROPTEST_CASES`.

use std::path::{Path, PathBuf};

use briefly::config::SiteConfig;
use briefly::diagnostics::{Diagnostic, Diagnostics};
use briefly::{load, render, resolve};
use proptest::prelude::*;
use proptest::test_runner::Config;

// ---------------------------------------------------------------------------------------
// The site every case runs in

/// A few actors, an event, a page, a brief and an asset for generated files to refer to.
const FIXTURES: &[(&str, &str)] = &[
    (
        "actors/iran.md",
        "---\nname: Iran\naliases: [Islamic Republic of Iran, Tehran]\nkind: state\n---\nA state.\n",
    ),
    (
        "actors/irgc.md",
        "---\nname: Islamic Revolutionary Guard Corps\naliases: [IRGC]\naffiliations: [iran]\n---\nGuards of Iran.\n",
    ),
    (
        "actors/kataib-hezbollah.md",
        "---\nname: Kata'ib Hezbollah\naliases: [KH, كتائب حزب الله]\n---\n",
    ),
    (
        "events/2020-01-08-strike.md",
        "---\ntitle: Missile strike\ndate: 2020-01-08\nactors: [iran, IRGC]\nsources:\n  - {title: A source, url: \"https://example.org\"}\n---\n## Aftermath\n\nIran said so.\n",
    ),
    (
        "pages/about.md",
        "---\ntitle: About\n---\n## Team\n\nWho we are.\n",
    ),
    (
        "briefs/2020/base.md",
        "---\ntitle: Base brief\ndate: 2020-02-01\nactors: [Iran]\nevents: [2020-01-08-strike]\n---\n## Key Points\n\n- The IRGC acted.\n\n## Background\n\nSee [the strike](../../events/2020-01-08-strike.md#aftermath).\n",
    ),
];

/// Where a generated file goes, by kind.
const PLACES: &[&str] = &[
    "briefs/2021/gen.md",
    "actors/gen.md",
    "events/gen.md",
    "pages/gen.md",
];

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for (path, text) in FIXTURES {
            write(&content.join(path), text.as_bytes());
        }
        write(&content.join("briefs/2020/map.png"), b"\x89PNG\r\n");
        Site { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Puts `bytes` at `place` (under `content/`), runs load → resolve → Markdown, and
    /// takes the file away again.
    fn run(&self, place: &str, bytes: &[u8], drafts: bool) -> Outcome {
        let path = self.root().join("content").join(place);
        write(&path, bytes);
        let mut diagnostics = Diagnostics::new();
        let content = load::load(self.root(), &mut diagnostics);
        let graph = resolve::resolve(SiteConfig::default(), content, drafts, &mut diagnostics);
        let bodies = render::bodies::render_all(&graph, &mut diagnostics);
        let xref = render::crossref::compute(&graph, &bodies);
        diagnostics.sort();
        std::fs::remove_file(&path).unwrap();
        let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Outcome {
            rendered: format!("{bodies:?}\n{xref:?}"),
            shown,
            diagnostics,
            generated: (path, bytes.to_vec()),
        }
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

struct Outcome {
    rendered: String,
    /// Every diagnostic as printed (printing must not panic either).
    shown: Vec<String>,
    diagnostics: Diagnostics,
    /// The generated file and its bytes (it is removed once the run is over).
    generated: (PathBuf, Vec<u8>),
}

impl Outcome {
    /// Every diagnostic names a file of the site, and a line (and column) within it; a
    /// quoted line is that line of the file.
    fn check_locations(&self, root: &Path) -> Result<(), TestCaseError> {
        for d in self.diagnostics.iter() {
            prop_assert!(!d.file.is_empty(), "no file: {d:?}");
            prop_assert!(d.line >= 1 && d.column >= 1, "no line: {d:?}");
            let path = root.join(&d.file);
            let bytes = if path == self.generated.0 {
                Some(self.generated.1.clone())
            } else {
                std::fs::read(&path).ok()
            };
            let Some(bytes) = bytes else {
                // Not a file (e.g. `content` itself): nothing more to check.
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let lines = text.matches('\n').count() + 1;
            prop_assert!(
                d.line <= lines,
                "line {} past the end ({lines} lines): {d:?}",
                d.line
            );
            if let Some(quoted) = &d.source_line {
                let actual = text
                    .split('\n')
                    .nth(d.line - 1)
                    .map(|l| l.trim_end_matches('\r'));
                prop_assert_eq!(
                    Some(quoted.as_str()),
                    actual,
                    "quoted line differs: {:?}",
                    d
                );
            }
        }
        Ok(())
    }
}

fn located_and_deterministic(place: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let site = Site::new();
    let first = site.run(place, bytes, false);
    first.check_locations(site.root())?;
    let second = site.run(place, bytes, false);
    prop_assert_eq!(&first.rendered, &second.rendered, "rendering differs");
    prop_assert_eq!(&first.shown, &second.shown, "diagnostics differ");
    // Drafts included: another path through resolve, same checks.
    let drafts = site.run(place, bytes, true);
    drafts.check_locations(site.root())?;
    Ok(())
}

fn all_errors(d: &Diagnostics) -> Vec<&Diagnostic> {
    d.iter().filter(|d| d.is_error()).collect()
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(128);
    Config {
        cases,
        max_shrink_iters: 2048,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Front matter

/// Scalars, odd ones included: YAML 1.1 booleans, special floats, tags, anchors, aliases,
/// odd dates, control characters, right-to-left marks, other scripts.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z][a-zA-Z0-9 ]{0,12}",
        2 => prop::sample::select(vec![
            "Iran", "IRGC", "Tehran", "Kata'ib Hezbollah", "Kata’ib Hezbollah", "KH",
            "كتائب حزب الله", "iran", "islamic-revolutionary-guard-corps", "Nobody Known",
            "2020-01-08-strike", "no-such-event", "ok-slug", "Bad Slug", "a--b", "../x",
            "-lead", "trail-", "UPPER",
        ]).prop_map(str::to_string),
        2 => date_text(),
        1 => prop::sample::select(vec![
            "~", "null", "true", "yes", "No", "on", "0x1F", "0o17", "1e309", "-.inf", ".nan",
            "12345678901234567890123", "-0", "!!binary aGVsbG8=", "!custom x", "!!str 12",
            "!!int x", "!!map {}", "&a anchored", "*a", "*undefined", "''", "\"\"",
            "\"quoted: with # hash\"", "'single ''quote'''", "\"\\u0000\"", "\"\\t tab\"",
            "\"\\uD800\"", "\"\\x\"", "é", "中文", "🙂", "\u{202e}rtl", "a\u{0}b", "`tick`",
            "@at", "%pct", "[", "]", "{", "}", ":", "- ", "? q", "|", ">", "#comment",
            "a #b", "a: b", "\u{feff}bom", "   ",
        ]).prop_map(str::to_string),
        1 => any::<String>().prop_map(|s| format!("{s:?}")),
    ]
}

/// Dates, valid and not.
fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (1900i32..2100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (any::<i16>(), 0u32..20, 0u32..40).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => (-10i64..10_000_000, 0u32..30, 0u32..70, 0u32..70, -30i32..30).prop_map(|(y, h, mi, s, tz)| {
            format!("{y:04}-01-15T{h:02}:{mi:02}:{s:02}{tz:+03}:00")
        }),
        1 => prop::sample::select(vec![
            "2021-02-30", "2021-02-29", "2020-02-29", "2021-13-01", "0000-00-00", "9999-12-31",
            "2021-07-12T10:00:00Z", "2021-07-12T25:61:00Z", "2021-07-12T10:00:00+25:00",
            "2021-07-12 10:00", "2021-7-1", "12/07/2021", "20210712", "2021-07-12T",
            "+2021-07-12", "2021–07–12", "２０２１-０７-１２", "2021-07-12\u{0}", "",
            "99999999999999999999-01-01", "2021-07-12T10:00:00.123456789Z",
        ]).prop_map(str::to_string),
    ]
}

/// A flow value (`[a, {b: c}]`), nested.
fn flow_value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|v| {
                let pairs: Vec<String> = v.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", pairs.join(", "))
            }),
        ]
    })
}

/// A key: those the kinds accept, near misses, and others.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "title", "subtitle", "date", "updated", "authors", "slug", "summary", "key_points",
            "recommendations", "actors", "events", "topics", "regions", "image", "draft", "name",
            "aliases", "kind", "country", "affiliations", "links", "end_date", "location",
            "sources", "description", "src", "alt", "credit", "url", "affiliation",
        ]).prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "key_point", "Title", "titel", "date ", "\"title\"", "'date'", "<<", "? x", "x",
            "é", "1", "null", "true", "[a]", "{a: b}", "&k title", "*k", "",
        ]).prop_map(str::to_string),
        1 => "[a-z_]{1,10}",
    ]
}

/// A block value written after `key:` at `indent` (a nested mapping, a list, a literal
/// block, or a flow value on the same line).
fn block_value(depth: u32) -> BoxedStrategy<String> {
    let indent = prop::sample::select(vec!["  ", "    ", " ", "\t", "  \t"]);
    let leaf = prop_oneof![
        4 => flow_value().prop_map(|v| format!(" {v}")),
        1 => (indent.clone(), prop::collection::vec(scalar(), 0..4)).prop_map(|(i, lines)| {
            let body: String = lines.iter().map(|l| format!("\n{i}{l}")).collect();
            format!(" |{body}")
        }),
        1 => (indent.clone(), prop::collection::vec(scalar(), 0..4)).prop_map(|(i, lines)| {
            let body: String = lines.iter().map(|l| format!("\n{i}{l}")).collect();
            format!(" >-{body}")
        }),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let nested = (
        indent.clone(),
        prop::collection::vec((key(), block_value(depth - 1)), 1..4),
    )
        .prop_map(|(i, pairs)| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("\n{i}{k}:{}", v.replace('\n', &format!("\n{i}"))))
                .collect::<String>()
        });
    let list =
        (indent, prop::collection::vec(block_value(depth - 1), 1..4)).prop_map(|(i, items)| {
            items
                .into_iter()
                .map(|v| format!("\n{i}-{}", v.replace('\n', &format!("\n{i}  "))))
                .collect::<String>()
        });
    prop_oneof![3 => leaf, 1 => nested, 1 => list].boxed()
}

/// Very deep flow nesting, or a chain of aliases.
fn pathological() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..400).prop_map(|n| format!("deep: {}x{}", "[".repeat(n), "]".repeat(n))),
        (1usize..400).prop_map(|n| format!("deep: {}", "{a: ".repeat(n) + &"}".repeat(n))),
        (1usize..200).prop_map(|n| {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&format!("{}- x\n", "  ".repeat(i)));
            }
            format!("deep:\n{s}")
        }),
        (1usize..8).prop_map(|n| {
            let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x]\n");
            for i in 1..n {
                let p = i - 1;
                s.push_str(&format!(
                    "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
                ));
            }
            s.push_str(&format!("title: *a{}", n - 1));
            s
        }),
        Just("base: &b {title: T}\nmerged:\n  <<: *b\n".to_string()),
        Just("%YAML 1.2\n".to_string()),
        Just("--- !tag\n".to_string()),
        Just("? [complex, key]\n: value\n".to_string()),
        Just("\ttitle: tab-indented\n".to_string()),
        Just("title: A\ntitle: B\n".to_string()),
        // Line breaks to YAML that are not line feeds.
        Just("links:\nx\r\r\r\r\"}\n".to_string()),
        Just("a: b\rc: d\r\rtitle: x\n".to_string()),
        Just("a: b\u{2028}c\u{85}d\u{2029}:\n".to_string()),
    ]
}

/// Front matter that a kind accepts (so that bodies get rendered), with odd values.
fn good_front(kind: usize) -> BoxedStrategy<String> {
    let text = || scalar().prop_map(|s| quote(&s));
    let list = |s: BoxedStrategy<String>| {
        prop::collection::vec(s, 0..4)
            .prop_map(|v| v.iter().map(|x| format!("\n  - {x}")).collect::<String>())
    };
    let actor_ref = prop::sample::select(vec![
        "Iran",
        "iran",
        "IRGC",
        "Tehran",
        "KH",
        "Kata’ib Hezbollah",
        "كتائب حزب الله",
        "Someone New",
        "Islamic Revolutionary Guard Corps",
        "ÍRAN",
        "i.r.a.n",
        "",
    ])
    .prop_map(quote)
    .boxed();
    let event_ref = prop_oneof![
        prop::sample::select(vec![
            "2020-01-08-strike",
            "no-such-event",
            "2020-01-08-strik"
        ])
        .prop_map(str::to_string),
        (
            date_text(),
            text(),
            prop::option::of(prop::sample::select(vec![
                "ok-slug",
                "Bad/Slug",
                "2020-01-08-strike"
            ]))
        )
            .prop_map(|(d, t, s)| {
                let slug = s.map(|s| format!(", slug: {s}")).unwrap_or_default();
                format!(
                    "{{title: {t}, date: {}, actors: [Iran, Nobody]{slug}}}",
                    quote(&d)
                )
            }),
    ]
    .boxed();
    let inline_md = inline().prop_map(|s| quote(&s)).boxed();
    match kind {
        0 => (
            text(),
            date_text(),
            prop::option::of(date_text()),
            list(actor_ref),
            list(event_ref),
            list(text().boxed()),
            prop::option::of(list(inline_md.clone())),
            prop::option::of(list(inline_md.clone())),
            prop::option::of(inline_md),
            prop::option::of(prop::sample::select(vec![
                "../2020/map.png", "map.png", "https://example.org/a.png", "../../../x.png",
                "{src: ../2020/map.png, alt: A map}", "/briefs/2020/map.png", "",
            ])),
            (any::<bool>(), prop::option::of(scalar())),
        )
            .prop_map(|(title, date, updated, actors, events, topics, kp, rec, summary, image, (draft, slug))| {
                let mut s = format!("title: {title}\ndate: {}\n", quote(&date));
                if let Some(u) = updated {
                    s.push_str(&format!("updated: {}\n", quote(&u)));
                }
                s.push_str(&format!("actors:{}\nevents:{}\ntopics:{}\nregions:{topics}\n", or_empty(&actors), or_empty(&events), or_empty(&topics)));
                s.push_str(&format!("authors:\n  - Jane Doe\n  - {{name: {title}, affiliation: X, url: \"https://x.org\"}}\n"));
                if let Some(k) = kp {
                    s.push_str(&format!("key_points:{}\n", or_empty(&k)));
                }
                if let Some(r) = rec {
                    s.push_str(&format!("recommendations:{}\n", or_empty(&r)));
                }
                if let Some(sum) = summary {
                    s.push_str(&format!("summary: {sum}\n"));
                }
                if let Some(i) = image {
                    s.push_str(&format!("image: {i}\n"));
                }
                if let Some(slug) = slug {
                    s.push_str(&format!("slug: {}\n", quote(&slug)));
                }
                s.push_str(&format!("draft: {draft}\n"));
                s
            })
            .boxed(),
        1 => (text(), list(text().boxed()), list(actor_ref), prop::option::of(scalar()))
            .prop_map(|(name, aliases, affiliations, slug)| {
                let mut s = format!(
                    "name: {name}\naliases:{}\naffiliations:{}\nlinks:\n  - {{title: T, url: \"https://x.org\"}}\n",
                    or_empty(&aliases),
                    or_empty(&affiliations)
                );
                if let Some(slug) = slug {
                    s.push_str(&format!("slug: {}\n", quote(&slug)));
                }
                s
            })
            .boxed(),
        2 => (text(), date_text(), prop::option::of(date_text()), list(actor_ref))
            .prop_map(|(title, date, end, actors)| {
                let mut s = format!("title: {title}\ndate: {}\nactors:{}\n", quote(&date), or_empty(&actors));
                if let Some(e) = end {
                    s.push_str(&format!("end_date: {}\n", quote(&e)));
                }
                s
            })
            .boxed(),
        _ => (text(), prop::option::of(scalar()), prop::option::of(inline()))
            .prop_map(|(title, slug, description)| {
                let mut s = format!("title: {title}\n");
                if let Some(slug) = slug {
                    s.push_str(&format!("slug: {}\n", quote(&slug)));
                }
                if let Some(d) = description {
                    s.push_str(&format!("description: {}\n", quote(&d)));
                }
                s
            })
            .boxed(),
    }
}

/// Front matter of keys and values of any shape.
fn wild_front() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => (key(), block_value(3)).prop_map(|(k, v)| format!("{k}:{v}\n")),
            1 => pathological().prop_map(|p| format!("{p}\n")),
            1 => Just("# a comment\n".to_string()),
            1 => Just("\n".to_string()),
            1 => scalar().prop_map(|s| format!("{s}\n")),
        ],
        0..8,
    )
    .prop_map(|entries| entries.concat())
}

/// A YAML double-quoted string (valid YAML for any text).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || c == '\u{feff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn or_empty(list: &str) -> String {
    if list.is_empty() {
        " []".to_string()
    } else {
        list.to_string()
    }
}

// ---------------------------------------------------------------------------------------
// Markdown

fn destination() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "../../actors/iran.md", "../../actors/iran.md#top", "../actors/iran.md",
            "/actors/iran.md", "../../events/2020-01-08-strike.md#aftermath",
            "../../events/2020-01-08-strike.md#nope", "../../pages/about.md#team",
            "../../pages/about.md#Team", "../2020/base.md#key-points", "../2020/base.md",
            "gen.md#key-points", "#key-points", "#", "missing.md", "../../../../x.md", "..",
            "../..", "../../..", "https://example.org", "mailto:a@b.c", "javascript:alert(1)",
            "../2020/map.png", "map.png", "img%20x.png", "<>", "?q", "x.md?y#z", "//cdn.x/y",
            "%", "%2", "%ff", "a b", "é.md", "./././gen.md", "/", "//", "#é", ".md", "C:\\x",
            "\\\\server\\x", "data:text/html,<b>x</b>",
        ]).prop_map(str::to_string),
        1 => "[a-z./#%?:-]{0,16}",
    ]
}

fn actor_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Iran",
        "IRAN",
        "Iranian",
        "Islamic Republic of Iran",
        "Tehran",
        "IRGC",
        "IRGCs",
        "Islamic Revolutionary Guard Corps",
        "Kata'ib Hezbollah",
        "Kata’ib Hezbollah",
        "KH",
        "كتائب حزب الله",
        "Irán",
    ])
    .prop_map(str::to_string)
}

/// Inline Markdown: words, actor names, links, images, footnote references, emphasis, code,
/// entities and inline HTML.
fn inline() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,8}",
        3 => actor_name(),
        2 => ("[a-zA-Z ]{0,8}", destination()).prop_map(|(t, d)| format!("[{t}]({d})")),
        1 => (actor_name(), destination()).prop_map(|(t, d)| format!("[{t}]({d} \"title\")")),
        1 => ("[a-z ]{0,5}", destination()).prop_map(|(t, d)| format!("![{t}]({d})")),
        1 => destination().prop_map(|d| format!("<{d}>")),
        1 => "[a-z0-9]{0,3}".prop_map(|l| format!("[^{l}]")),
        1 => prop::sample::select(vec![
            "*em*", "**strong**", "~~del~~", "`code`", "`` ` ``", "&amp;", "&#0;", "&#x110000;",
            "&nbsp;", "<span>x</span>", "<b>", "</div>", "<!-- c", "\"quoted\"", "'single'",
            "--", "...", "\\", "\t", "[", "]", "](", "[x][ref]", "[ref]", "[x][]", "\u{200b}",
            "🙂", "中文", "\u{202e}", "é", "e\u{301}", "[[nested](a.md)](b.md)", "!", "*",
        ]).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    let heading_text = prop_oneof![
        2 => prop::sample::select(vec![
            "Key Points", "Key points", "Recommendations", "Recommendations for Canada",
            "Background", "Analysis", "Team", "Aftermath", "Footnotes", "key-points", "",
            "Key Points {#custom}", "Iran and the IRGC",
        ]).prop_map(str::to_string),
        1 => inline(),
    ];
    let code = prop::collection::vec("[ -~]{0,20}", 0..4).prop_map(|l| l.join("\n"));
    let lang = prop::sample::select(vec![
        "",
        "rust",
        "python",
        "js",
        "html",
        "yaml",
        "nonexistent",
        "rust,ignore",
        "{.x}",
        "é",
        "c++",
        "sh",
    ]);
    prop_oneof![
        3 => inline(),
        2 => (1usize..7, heading_text).prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        1 => ("[a-zA-Z ]{1,10}", 1usize..3).prop_map(|(t, n)| format!("{t}\n{}", if n == 1 { "===" } else { "---" })),
        2 => (prop::sample::select(vec!["- ", "* ", "1. ", "- [ ] ", "- [x] ", "  - ", "10) "]), prop::collection::vec(inline(), 1..4))
            .prop_map(|(m, items)| items.iter().map(|i| format!("{m}{i}")).collect::<Vec<_>>().join("\n")),
        1 => (1usize..4, prop::collection::vec(prop::collection::vec(inline(), 1..4), 0..4))
            .prop_map(|(cols, rows)| {
                let head = format!("|{}|", vec![" h "; cols].join("|"));
                let sep = format!("|{}|", vec![":-:"; cols].join("|"));
                let body: Vec<String> = rows.iter().map(|r| format!("| {} |", r.join(" | "))).collect();
                format!("{head}\n{sep}\n{}", body.join("\n"))
            }),
        1 => (prop::sample::select(vec!["```", "~~~", "````"]), lang, code, any::<bool>())
            .prop_map(|(fence, lang, code, closed)| {
                if closed { format!("{fence}{lang}\n{code}\n{fence}") } else { format!("{fence}{lang}\n{code}") }
            }),
        1 => prop::sample::select(vec![
            "<div>x</div>", "<script>alert(1)</script>", "<!-- comment -->", "<!--",
            "<details><summary>s</summary>\n\nIran\n</details>", "<table><tr><td>x",
            "<pre>\n\nIran\n</pre>", "<?php x ?>", "<![CDATA[x]]>", "<h2 id=\"key-points\">x</h2>",
        ]).prop_map(str::to_string),
        1 => ("[a-z0-9]{0,3}", inline()).prop_map(|(l, t)| format!("[^{l}]: {t}")),
        1 => ("[a-z]{1,4}", destination()).prop_map(|(l, d)| format!("[{l}]: {d}")),
        1 => inline().prop_map(|t| format!("> {t}\n> > {t}")),
        1 => "    [ -~]{0,20}",
        1 => prop::sample::select(vec!["---", "***", "___", "---\ntitle: x\n---", "\t\tx", "\u{0}", "\r", "\u{feff}"]).prop_map(str::to_string),
    ]
}

fn body() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(block(), 0..10),
        prop::sample::select(vec!["\n\n", "\n", "\r\n\r\n", "\n\n\n"]),
    )
        .prop_map(|(blocks, sep)| blocks.join(sep))
}

/// A whole file: a kind, its front matter (mostly well-formed, sometimes wild), a body,
/// and sometimes a byte-order mark, CRLF line ends or a `...` closing line.
fn file() -> impl Strategy<Value = (usize, String)> {
    (0usize..4).prop_flat_map(|kind| {
        let front = prop_oneof![
            3 => good_front(kind),
            1 => (good_front(kind), wild_front()).prop_map(|(g, w)| format!("{g}{w}")),
            1 => wild_front().boxed(),
        ];
        (
            Just(kind),
            front,
            body(),
            any::<bool>(),
            prop::sample::select(vec!["---", "...", "--- ", "---\t"]),
            prop::option::weighted(0.1, Just(())),
        )
            .prop_map(|(kind, front, body, bom, close, crlf)| {
                let mut text = format!("---\n{front}{close}\n{body}\n");
                if crlf.is_some() {
                    text = text.replace('\n', "\r\n");
                }
                if bom {
                    text.insert(0, '\u{feff}');
                }
                (kind, text)
            })
    })
}

// ---------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config())]

    /// Generated files: no panic, located diagnostics, the same output twice.
    #[test]
    fn generated_files_are_handled_and_located((kind, text) in file()) {
        located_and_deterministic(PLACES[kind], text.as_bytes())?;
    }

    /// A well-formed front matter with any text after it.
    #[test]
    fn any_body_after_good_front_matter(body in any::<String>()) {
        let text = format!("---\ntitle: T\ndate: 2021-01-01\n---\n{body}");
        located_and_deterministic(PLACES[0], text.as_bytes())?;
    }

    /// Raw bytes, invalid UTF-8 included, after a front-matter opening.
    #[test]
    fn any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256), kind in 0usize..4) {
        let mut file = b"---\n".to_vec();
        file.extend(bytes);
        located_and_deterministic(PLACES[kind], &file)?;
    }
}

/// The fixture site on its own has no errors: the properties test the generated files.
#[test]
fn fixture_site_is_clean() {
    let site = Site::new();
    let outcome = site.run(
        "briefs/2020/extra.md",
        b"---\ntitle: X\ndate: 2020-03-01\n---\nIran.\n",
        false,
    );
    assert!(
        all_errors(&outcome.diagnostics).is_empty(),
        "{:?}",
        outcome.shown
    );
    assert!(outcome.rendered.contains("mention"), "{}", outcome.rendered);
}

/// Found by the fuzzer: libyaml counts a lone `\r` (and U+0085, U+2028, U+2029) as a line
/// break, so a YAML error after some of them was placed past the end of the file.
#[test]
fn yaml_errors_after_carriage_returns_stay_in_the_file() {
    let site = Site::new();
    for text in [
        "---\nname: North Atlantic Treaty Organization\nlinks:\nnato.int/\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\"}\n---\nThe alliance.\n",
        "---\nname: N\nx\u{2028}\u{2028}\u{2028}\"\n---\n",
    ] {
        let outcome = site.run(PLACES[1], text.as_bytes(), false);
        outcome.check_locations(site.root()).unwrap();
        let errors = all_errors(&outcome.diagnostics);
        assert_eq!(errors.len(), 1, "{:?}", outcome.shown);
        assert!(errors[0].line <= 4 && errors[0].source_line.is_some(), "{:?}", errors[0]);
    }
}
