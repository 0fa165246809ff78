//! Measures what a one-word search transfers: for each query, the files the browser
//! client loads (the entry, the chunks of the word, the fragments of the first page of
//! results) read through the reference reader (`briefly::search::read`), which loads
//! what `theme/search.js` loads, and the sum of their sizes as stored (gzipped).
//!
//! `cargo run --release --example search-transfer -- OUTPUT [WORD...]`
//!
//! OUTPUT is a built site; without words, a spread of common and rare words of the
//! benchmark corpus (and prefixes, as typed) is used. Prints one row per query, then the
//! largest and the median.

use std::path::{Path, PathBuf};

use briefly::search::read::{Query, Reader};

/// Results shown at once (the client shows ten, then "More results").
const PAGE: usize = 10;

const WORDS: &[&str] = &[
    "sanctions ",
    "the ",
    "and ",
    "militia ",
    "ceasefire ",
    "marovia ",
    "donors ",
    "energy ",
    "border ",
    "pipeline ",
    "elections ",
    "drone ",
    "refugees ",
    "sanc",
    "mil",
    "re",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: search-transfer OUTPUT [WORD...]");
        std::process::exit(2);
    };
    let mut words: Vec<String> = args.collect();
    if words.is_empty() {
        words = WORDS.iter().map(|w| (*w).to_string()).collect();
    }
    println!("| query | results | files | KB transferred |");
    println!("| --- | ---: | ---: | ---: |");
    let mut sizes = Vec::new();
    for word in &words {
        let (results, files, bytes) = measure(&out, word);
        println!(
            "| `{}` | {results} | {files} | {:.1} |",
            word.replace(' ', "␠"),
            bytes as f64 / 1024.0
        );
        sizes.push(bytes);
    }
    sizes.sort_unstable();
    let kb = |b: usize| b as f64 / 1024.0;
    println!(
        "\nlargest {:.1} KB, median {:.1} KB over {} queries",
        kb(sizes[sizes.len() - 1]),
        kb(sizes[sizes.len() / 2]),
        sizes.len()
    );
}

/// Results, files loaded and bytes transferred for one query in a fresh client.
fn measure(out: &Path, text: &str) -> (usize, usize, usize) {
    let mut reader = Reader::open(|path: &str| std::fs::read(out.join(path)).ok())
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let hits = reader.search(&Query::new(text)).expect("a query");
    for hit in hits.iter().take(PAGE) {
        reader.fragment(hit.id).expect("a fragment");
    }
    (hits.len(), reader.fetched.len(), reader.transferred())
}
