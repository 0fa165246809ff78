//! The interface language: a one-language site with `language: fr` is French throughout
//! (navigation, labels, dates, plurals, structured sections, feeds), `strings:` in
//! site.yaml overrides the built-in texts and an unknown key is reported, a right-to-left
//! language sets `dir="rtl"`, and docs/interface-strings.md lists every key.

mod common;

use std::path::Path;

use common::*;

fn french_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&fixture("french-site"), &out, &[]);
    (dir, out)
}

fn read(out: &Path, relative: &str) -> String {
    std::fs::read_to_string(out.join(relative)).unwrap()
}

#[test]
fn a_french_site_speaks_french() {
    let (_dir, out) = french_site();
    let home = page(&out, "index.html");
    assert_eq!(attrs(&home, "html", "lang"), ["fr"]);
    assert!(attrs(&home, "html", "dir").is_empty());
    assert_eq!(texts(&home, ".skip-link"), ["Aller au contenu"]);
    assert_eq!(
        texts(&home, ".site-nav a"),
        [
            "Notes",
            "Acteurs",
            "Chronologie",
            "Thèmes",
            "Régions",
            "Auteurs",
            "Rechercher"
        ]
    );
    assert_eq!(attrs(&home, ".site-nav", "aria-label"), ["Principal"]);
    assert_eq!(
        texts(&home, ".counts li"),
        ["2 notes", "1 acteur", "1 événement", "2 thèmes"]
    );
    // `strings:` in site.yaml replaces a built-in text.
    assert_eq!(texts(&home, "#latest-briefs"), ["À la une"]);
    assert_eq!(
        texts(&home, ".footer-links a"),
        ["Flux Atom", "Données (JSON)"]
    );

    let brief = page(&out, "briefs/milices/index.html");
    let eyebrow = texts(&brief, ".brief-header .eyebrow").join("");
    assert_eq!(
        eyebrow,
        "Note d’orientation · 12 juillet 2021 · 1 min de lecture"
    );
    assert_eq!(texts(&brief, ".byline"), ["Par Jeanne Dupont"]);
    assert_eq!(texts(&brief, ".cite h2"), ["Citer cette note"]);
    assert_eq!(
        texts(&brief, ".cite dt"),
        ["APA (7e édition)", "Chicago (auteur-date)", "BibTeX"]
    );
    // French section headings are recognised: the key points, background and
    // recommendations appear where English ones do.
    assert_eq!(texts(&brief, ".key-points h2"), ["Points clés"]);
    assert_eq!(texts(&brief, ".key-points li").len(), 2);
    assert_eq!(texts(&brief, ".background h2"), ["Contexte"]);
    assert_eq!(texts(&brief, ".recommendations h2"), ["Recommandations"]);
    assert_eq!(texts(&brief, ".recommendations li").len(), 2);
    assert!(texts(&brief, ".free-section").is_empty());

    // A heading that `sections:` in site.yaml adds, written with a typographic apostrophe.
    let long = page(&out, "briefs/longue-note/index.html");
    assert_eq!(texts(&long, ".key-points h2"), ["L’essentiel pour Ottawa"]);
    assert!(texts(&long, ".brief-header .eyebrow")[0].ends_with("· 5 min de lecture"));

    let topics = page(&out, "topics/index.html");
    assert_eq!(texts(&topics, "h1"), ["Thèmes"]);
    assert_eq!(texts(&topics, ".term-list .count"), ["1 note", "2 notes"]);
    assert!(texts(&topics, ".lede")[0].ends_with(": 2 thèmes."));

    let actor = page(&out, "actors/pmu/index.html");
    assert_eq!(texts(&actor, "#briefs-title"), ["Notes"]);
    assert!(texts(&actor, ".aliases")[0].starts_with("Aussi appelé :"));

    let events = read(&out, "events/index.html");
    assert!(events.contains("3 janvier 2020"), "dates in the list");
    assert!(
        events.contains("Un événement, le 3 janvier 2020."),
        "the picture's text"
    );
    assert!(
        events.contains(">Janv.<") || events.contains(">Janv<"),
        "months of the axis"
    );

    let not_found = page(&out, "404.html");
    assert_eq!(texts(&not_found, "h1"), ["Page introuvable"]);

    let search = page(&out, "search/index.html");
    assert_eq!(texts(&search, ".search-filters label").len(), 5);
    assert!(texts(&search, ".search-filters")[0].starts_with("Type Tous Thème"));
    let strings = attrs(&search, "#search", "data-strings");
    assert!(strings[0].contains("Aucun résultat"), "{strings:?}");

    // The search index names kinds, and its results show dates, in French.
    let gunzip = |relative: &str| {
        let mut text = String::new();
        let file = std::fs::File::open(out.join(relative)).unwrap();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut text).unwrap();
        text
    };
    let index = gunzip("search/index.json.gz");
    assert!(index.contains(r#"["brief","Note",2]"#), "{index}");
    let fragments: String = std::fs::read_dir(out.join("search/docs"))
        .unwrap()
        .map(|entry| {
            gunzip(&format!(
                "search/docs/{}",
                entry.unwrap().file_name().to_string_lossy()
            ))
        })
        .collect();
    assert!(
        fragments.contains(r#""d":"12 juillet 2021""#),
        "{fragments}"
    );

    let feed = read(&out, "topics/securite/feed.xml");
    assert!(
        feed.contains("<title>Thème: Sécurité · Notes d&apos;orientation</title>")
            || feed.contains("<title>Thème: Sécurité · Notes d'orientation</title>"),
        "{feed}"
    );
    let calendar = read(&out, "events.ics");
    assert!(
        calendar.contains("NAME:Chronologie · Notes d'orientation"),
        "{calendar}"
    );
}

#[test]
fn a_site_in_a_right_to_left_language_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("french-site"), &root);
    let yaml = read(&root, "site.yaml").replace("language: fr", "language: ar");
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let out = dir.path().join("out");
    build(&root, &out, &[]);
    let home = page(&out, "index.html");
    assert_eq!(attrs(&home, "html", "lang"), ["ar"]);
    assert_eq!(attrs(&home, "html", "dir"), ["rtl"]);
    // No built-in Arabic strings: English ones, Arabic dates.
    assert_eq!(texts(&home, ".skip-link"), ["Skip to content"]);
    // An alias in a right-to-left script is marked so on any page.
    let (_dir, fr) = french_site();
    let actor = page(&fr, "actors/pmu/index.html");
    assert_eq!(attrs(&actor, ".aliases span", "dir"), ["auto", "rtl"]);
}

#[test]
fn an_unknown_string_key_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture("french-site"), &root);
    let yaml = read(&root, "site.yaml").replace(
        "  latest_briefs: À la une\n",
        "  latest_briefs: À la une\n  skip_lnk: Passer\n",
    );
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let output = build(&root, &dir.path().join("out"), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("skip_lnk"), "{stderr}");
    assert!(stderr.contains("site.yaml:9"), "{stderr}");
    assert!(stderr.contains("did you mean `skip_link`?"), "{stderr}");
}

#[test]
fn english_sites_keep_their_texts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&fixture("valid-site"), &out, &[]);
    let home = page(&out, "index.html");
    assert!(attrs(&home, "html", "dir").is_empty());
    assert_eq!(texts(&home, ".skip-link"), ["Skip to content"]);
    let search = page(&out, "search/index.html");
    assert!(attrs(&search, "#search", "data-strings").is_empty());
}

/// A table cell of docs/interface-strings.md for one entry.
fn cell(entry: Option<&briefly::i18n::StringEntry>) -> String {
    let text = match entry {
        None => String::new(),
        Some(briefly::i18n::StringEntry::Text(t)) if t.is_empty() => "(empty)".into(),
        Some(briefly::i18n::StringEntry::Text(t)) => t.clone(),
        Some(briefly::i18n::StringEntry::Plural(forms)) => {
            ["zero", "one", "two", "few", "many", "other"]
                .iter()
                .filter_map(|c| forms.get(*c).map(|t| format!("{c}: {t}")))
                .collect::<Vec<_>>()
                .join(" / ")
        }
    };
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('*', "\\*")
}

#[test]
fn the_docs_list_every_interface_string() {
    let doc = std::fs::read_to_string(repo_root().join("docs/interface-strings.md")).unwrap();
    let keys = briefly::i18n::built_in_strings("en");
    assert!(keys.len() > 50);
    let mut missing = Vec::new();
    for (key, entry) in keys {
        let row = format!(
            "| `{key}` | {} | {} |",
            cell(Some(entry)),
            cell(briefly::i18n::built_in_entry("fr", key))
        );
        if !doc.lines().any(|line| line == row) {
            missing.push(row);
        }
    }
    assert!(
        missing.is_empty(),
        "docs/interface-strings.md lacks these rows (or has other texts):\n{}",
        missing.join("\n")
    );
}
