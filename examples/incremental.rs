//! Measures the dev server's incremental rebuild: builds a site once, then edits one
//! brief's body (or title) at a time and times the rebuild that follows, as `briefly serve`
//! does, with the median time of each stage.
//!
//! `cargo run --release --example incremental -- --root DIR [--edits 20] [--kind body|title]`
//!
//! The site is copied to a temporary folder first, so DIR is never modified.

mod common;

use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use briefly::build::BuildOptions;
use briefly::session::Session;

fn main() {
    let mut root = None;
    let mut edits = 20usize;
    let mut title = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--root" => root = args.next().map(PathBuf::from),
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).unwrap_or(edits),
            "--kind" => title = args.next().as_deref() == Some("title"),
            other => {
                eprintln!(
                    "unknown argument {other}; usage: incremental --root DIR [--edits N] \
                     [--kind body|title]"
                );
                std::process::exit(2);
            }
        }
    }
    let Some(root) = root else {
        eprintln!("usage: incremental --root DIR [--edits N]");
        std::process::exit(2);
    };
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    common::copy_tree(&root, &site);
    let briefs = common::brief_files(&site);
    let out = tmp.path().join("out");
    let mut session = Session::new(BuildOptions {
        root: site.clone(),
        output: Some(out),
        write: true,
        ..BuildOptions::default()
    });

    let started = Instant::now();
    let first = session
        .rebuild(&[])
        .unwrap_or_else(|d| panic!("the first build failed:\n{d}"));
    println!(
        "first build: {} files in {:.0} ms ({} briefs)",
        first.written,
        started.elapsed().as_secs_f64() * 1000.0,
        briefs.len()
    );

    let mut times = Vec::new();
    let mut stage_times: Vec<(&'static str, Vec<f64>)> = Vec::new();
    for i in 0..edits {
        let file = &briefs[(i * 7919) % briefs.len()];
        let text = std::fs::read_to_string(file).expect("brief");
        let edited = if title {
            let quoted = text.contains("\ntitle: \"");
            let (from, to) = if quoted {
                ("\ntitle: \"", format!("\ntitle: \"Edit {i} of "))
            } else {
                ("\ntitle: ", format!("\ntitle: Edit {i} of "))
            };
            text.replacen(from, &to, 1)
        } else {
            match text.find("\n## ") {
                Some(at) => format!(
                    "{}\n\nEdit number {i}, written by the benchmark.\n{}",
                    &text[..at],
                    &text[at..]
                ),
                None => format!("{text}\n\nEdit number {i}.\n"),
            }
        };
        std::fs::write(file, edited).expect("write");
        let relative = file
            .strip_prefix(&site)
            .expect("inside the site")
            .to_path_buf();
        let started = Instant::now();
        let done = session
            .rebuild(&[relative])
            .unwrap_or_else(|d| panic!("rebuild failed:\n{d}"));
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let stages: Vec<String> = done
            .timings
            .iter()
            .map(|stage| format!("{} {:.1}", stage.name, stage.wall.as_secs_f64() * 1000.0))
            .collect();
        println!(
            "edit {i:>2}: {:>4} files written in {ms:>7.1} ms ({})",
            done.written,
            stages.join(", ")
        );
        times.push(ms);
        for stage in &done.timings {
            let (name, ms) = (stage.name, stage.wall.as_secs_f64() * 1000.0);
            match stage_times.iter_mut().find(|(n, _)| *n == name) {
                Some((_, all)) => all.push(ms),
                None => stage_times.push((name, vec![ms])),
            }
        }
    }
    let stages: Vec<String> = stage_times
        .iter_mut()
        .map(|(name, all)| format!("{name} {:.1}", median(all)))
        .collect();
    println!("median per stage (ms): {}", stages.join(", "));
    let median = median(&mut times);
    println!(
        "incremental rebuild after editing one brief's {}: median {median:.1} ms, min {:.1} ms, max {:.1} ms over {} edits",
        if title { "title" } else { "body" },
        times[0],
        times[times.len() - 1],
        times.len()
    );
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    }
}
