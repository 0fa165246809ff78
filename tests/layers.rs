//! The library's modules form layers: a module imports only modules of lower layers (and
//! itself), so there is no import cycle and no stage reaches up to a later one. Low
//! modules that several stages share (hashing, escaping, paths, diagnostics) import
//! nothing of the stages.

use std::path::Path;

/// Every top-level module of the library with its layer, lowest first.
const LAYERS: &[(&str, u8)] = &[
    ("date", 0),
    ("diagnostics", 0),
    ("escape", 0),
    ("fsutil", 0),
    ("hash", 0),
    ("options", 0),
    ("slug", 0),
    ("suggest", 0),
    ("timing", 0),
    ("url", 0),
    ("yaml", 1),
    ("sitefs", 1),
    ("output", 1),
    ("i18n", 2),
    ("write", 2),
    ("config", 3),
    ("load", 4),
    ("search", 4),
    ("resolve", 5),
    ("markdown", 6),
    ("render", 7),
    ("session", 8),
    ("build", 9),
    ("scaffold", 9),
    ("serve", 10),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The modules a source file names as `crate::NAME`.
fn imports(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .match_indices("crate::")
        .map(|(i, _)| {
            text[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .filter(|name: &String| !name.is_empty())
        .collect();
    // `use crate::{a, b}` names several.
    for (i, _) in text.match_indices("crate::{") {
        let list = &text[i + "crate::{".len()..];
        let list = &list[..list.find('}').unwrap_or(0)];
        found.extend(
            list.split(',')
                .map(|part| part.trim().split("::").next().unwrap_or("").to_string())
                .filter(|name| !name.is_empty() && name != "self"),
        );
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn modules_import_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    let mut modules_seen = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer(&module) else {
            wrong.push(format!("{module}: not in the layer table"));
            continue;
        };
        modules_seen += 1;
        let text = std::fs::read_to_string(path).unwrap();
        for name in imports(&text) {
            if name == module {
                continue;
            }
            match layer(&name) {
                Some(theirs) if theirs < own => {}
                Some(theirs) => wrong.push(format!(
                    "{}: imports `{name}` (layer {theirs}) from layer {own}",
                    relative.display()
                )),
                None => wrong.push(format!("{}: imports unknown `{name}`", relative.display())),
            }
        }
    }
    assert!(modules_seen > 20, "only {modules_seen} files read");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_import_scanner_sees_grouped_and_plain_imports() {
    let names = imports("use crate::{a, b::c};\nfn f() { crate::d::e(); }");
    assert_eq!(names, ["a", "b", "d"]);
}
