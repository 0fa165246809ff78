//! Hostile file systems: output folders that are not briefly's, symlinks that lead out of
//! the site, special files, interrupted builds and a full disk. Every case runs the real
//! binary inside a temporary folder; none names a real home, system or work folder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::briefly;

/// A small valid site at `<tmp>/site`.
fn small_site(tmp: &Path) -> PathBuf {
    let root = tmp.join("site");
    fs::create_dir_all(root.join("content/briefs")).unwrap();
    fs::write(
        root.join("content/briefs/harbour.md"),
        "---\ntitle: Harbour reform\ndate: 2024-03-01\n---\n\nThe harbour needs reform.\n",
    )
    .unwrap();
    root
}

fn run(args: &[&str]) -> (Output, String) {
    let output = briefly(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stderr)
}

fn build_into(root: &Path, out: &Path, extra: &[&str]) -> (Output, String) {
    let output = common::build_output(root, out, extra);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stderr)
}

/// Every entry below `dir`, `/`-separated, folders ending in `/`.
fn tree(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            if e.file_type().is_dir() {
                format!("{rel}/")
            } else {
                rel
            }
        })
        .collect();
    all.sort();
    all
}

/// Whether a test that needs root (mounts) can run; required under CI.
fn can_mount() -> bool {
    let probe = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(probe.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        let _ = Command::new("umount").arg(probe.path()).status();
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true: this test needs to mount a small tmpfs (run as root)");
    } else {
        eprintln!("skipped: mounting a tmpfs needs root");
    }
    ok
}

/// A tmpfs of `size` mounted at `dir`, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn new(dir: &Path, size: &str) -> Mount {
        fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success());
        Mount(dir.to_path_buf())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_folder_briefly_did_not_write_is_refused_and_left_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    let out = tmp.path().join("documents");
    fs::create_dir_all(out.join("sub")).unwrap();
    fs::write(out.join("thesis.docx"), "my thesis").unwrap();
    fs::write(out.join("sub/notes.txt"), "notes").unwrap();
    let before = tree(&out);

    let (output, stderr) = build_into(&root, &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&out.display().to_string()), "{stderr}");
    assert!(
        stderr.contains("did not write: sub/, thesis.docx"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(tree(&out), before);
    assert_eq!(
        fs::read_to_string(out.join("thesis.docx")).unwrap(),
        "my thesis"
    );
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "nothing beside the site and the folder: {names:?}"
    );

    // With --force it is replaced, and marked as briefly's from then on.
    let (output, stderr) = build_into(&root, &out, &["--force"]);
    assert!(output.status.success(), "{stderr}");
    assert!(!out.join("thesis.docx").exists());
    assert!(out.join(".briefly-output").is_file());
    assert!(out.join("briefs/harbour/index.html").is_file());
    let (output, stderr) = build_into(&root, &out, &[]);
    assert!(output.status.success(), "{stderr}");
}

#[test]
fn missing_and_empty_folders_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for out in [empty, tmp.path().join("new/deeper/out")] {
        let (output, stderr) = build_into(&root, &out, &[]);
        assert!(output.status.success(), "{stderr}");
        assert!(out.join("index.html").is_file());
    }
}

#[test]
fn protected_folders_are_refused_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::create_dir_all(root.join("theme")).unwrap();
    let home = tmp.path().join("home/someone");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join(".profile"), "keep").unwrap();
    let cases = [
        (root.clone(), "the site folder"),
        (
            tmp.path().to_path_buf(),
            "the site folder or a folder above it",
        ),
        (root.join("content"), "source folders"),
        (root.join("content/briefs/generated"), "source folders"),
        (root.join("templates"), "source folders"),
        (root.join("theme/out"), "source folders"),
        (home.clone(), "your home folder"),
        (tmp.path().join("home"), "your home folder"),
    ];
    let before = tree(tmp.path());
    for (out, reason) in &cases {
        let output = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(["build", "--force", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(out)
            .env("HOME", &home)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{}: {stderr}", out.display());
        assert!(stderr.contains(reason), "{}: {stderr}", out.display());
        assert_eq!(
            tree(tmp.path()),
            before,
            "{} changed the tree",
            out.display()
        );
    }
}

#[test]
fn an_output_that_is_a_file_is_an_error_and_the_file_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    let file = tmp.path().join("report.pdf");
    fs::write(&file, "pdf bytes").unwrap();
    let before = tree(tmp.path());
    for extra in [&[][..], &["--force"][..]] {
        let (output, stderr) = build_into(&root, &file, extra);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("is a file"), "{stderr}");
        assert_eq!(tree(tmp.path()), before);
        assert_eq!(fs::read_to_string(&file).unwrap(), "pdf bytes");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_through_and_stays_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    let target = tmp.path().join("deploy");
    fs::create_dir(&target).unwrap();
    let link = root.join("public");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let (output, stderr) = build_into(&root, &link, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(target.join("briefs/harbour/index.html").is_file());

    // A second build replaces the target whole: a file the first build wrote and the
    // second does not is gone, and the link still leads to the new output.
    fs::rename(
        root.join("content/briefs/harbour.md"),
        root.join("content/briefs/port.md"),
    )
    .unwrap();
    let (output, stderr) = build_into(&root, &link, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(link.join("briefs/port/index.html").is_file());
    assert!(!target.join("briefs/harbour").exists());
    let stray: Vec<String> = tree(tmp.path())
        .into_iter()
        .filter(|p| p.contains(".staging-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn the_file_system_root_is_refused() {
    if !can_mount() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    let mount = Mount::new(&tmp.path().join("disk"), "1m");
    fs::write(mount.0.join("data.bin"), "data").unwrap();
    let (output, stderr) = build_into(&root, &mount.0, &["--force"]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the root of a file system"), "{stderr}");
    assert_eq!(
        fs::read_to_string(mount.0.join("data.bin")).unwrap(),
        "data"
    );
}

#[test]
fn a_full_disk_is_one_error_and_the_previous_output_stays() {
    if !can_mount() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = small_site(tmp.path());
    let mount = Mount::new(&tmp.path().join("disk"), "2m");
    let out = mount.0.join("public");
    let (output, stderr) = build_into(&root, &out, &[]);
    assert!(output.status.success(), "{stderr}");
    let before = common::files(&out);

    // Many pages and a large asset: more than the disk holds.
    for i in 0..40 {
        fs::write(
            root.join(format!("content/briefs/b{i}.md")),
            format!(
                "---\ntitle: Brief {i}\ndate: 2024-01-{:02}\n---\n\nText.\n",
                i % 28 + 1
            ),
        )
        .unwrap();
    }
    fs::write(root.join("content/briefs/map.bin"), vec![7u8; 3 << 20]).unwrap();
    let (output, stderr) = build_into(&root, &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("No space left on device"), "{stderr}");
    assert_eq!(common::files(&out), before);
    assert!(!tree(&mount.0).iter().any(|p| p.contains(".staging-")));
}

/// A site big enough that a debug build takes a while, so that it can be interrupted.
fn large_site(tmp: &Path) -> PathBuf {
    let root = small_site(tmp);
    let paragraph = "Militias, ministries and missions meet in this paragraph. ".repeat(40);
    for i in 0..1500 {
        fs::write(
            root.join(format!("content/briefs/brief-{i}.md")),
            format!(
                "---\ntitle: Brief {i}\ndate: 2020-01-{:02}\ntopics: [t{}]\n---\n\n## Background\n\n{paragraph}\n\n## More\n\n{paragraph}\n",
                i % 28 + 1,
                i % 50
            ),
        )
        .unwrap();
    }
    root
}

/// Starts a build and waits until its staging folder exists.
fn start_build(root: &Path, out: &Path) -> (std::process::Child, PathBuf) {
    let child = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = out.with_file_name(format!(".public.staging-{}", child.id()));
    let started = Instant::now();
    while !staging.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging folder appeared"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    (child, staging)
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_removes_its_staging_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = large_site(tmp.path());
    let out = tmp.path().join("public");
    let (output, stderr) = build_into(&root, &out, &[]);
    assert!(output.status.success(), "{stderr}");
    let before = common::files(&out);
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let (mut child, staging) = start_build(&root, &out);
        std::thread::sleep(Duration::from_millis(2));
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert!(!staging.exists(), "SIG{signal} left {}", staging.display());
        assert_eq!(
            common::files(&out),
            before,
            "SIG{signal} changed the output"
        );
    }
}

#[cfg(unix)]
#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let tmp = tempfile::tempdir().unwrap();
    let root = large_site(tmp.path());
    let out = tmp.path().join("public");
    let (mut child, staging) = start_build(&root, &out);
    std::thread::sleep(Duration::from_millis(2));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.exists(), "a SIGKILL leaves the staging folder");

    // A staging folder of a live process (this test's) is not touched.
    let live = out.with_file_name(format!(".public.staging-{}", std::process::id()));
    fs::create_dir_all(&live).unwrap();
    let (output, stderr) = build_into(&root, &out, &[]);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !staging.exists(),
        "the next build left {}",
        staging.display()
    );
    assert!(live.exists());
    assert!(out.join("index.html").is_file());
}

#[cfg(unix)]
mod symlinks {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A site with an `outside/` folder beside it holding a brief and a secret.
    fn site_with_outside() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = small_site(tmp.path());
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(
            outside.join("leak.md"),
            "---\ntitle: Leaked brief\ndate: 2024-01-01\n---\n\nSECRET-TEXT\n",
        )
        .unwrap();
        fs::write(outside.join("secret.txt"), "SECRET-TEXT").unwrap();
        (tmp, root, outside)
    }

    fn refused(root: &Path, link: &str, target: &Path) {
        let out = root.parent().unwrap().join("out");
        let (output, stderr) = build_into(root, &out, &[]);
        assert_eq!(output.status.code(), Some(1), "{link}: {stderr}");
        assert!(stderr.contains(link), "{link}: {stderr}");
        assert!(
            stderr.contains(&target.canonicalize().unwrap().display().to_string()),
            "{link}: {stderr}"
        );
        assert!(stderr.contains("outside the site"), "{link}: {stderr}");
        assert!(!out.exists());
        let (output, stderr) = run(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "check {link}: {stderr}");
    }

    #[test]
    fn a_linked_folder_outside_the_site_is_an_error() {
        let (_tmp, root, outside) = site_with_outside();
        symlink(&outside, root.join("content/briefs/more")).unwrap();
        refused(&root, "content/briefs/more", &outside);
    }

    #[test]
    fn a_linked_file_outside_the_site_is_an_error() {
        let (_tmp, root, outside) = site_with_outside();
        symlink(outside.join("leak.md"), root.join("content/briefs/leak.md")).unwrap();
        refused(&root, "content/briefs/leak.md", &outside.join("leak.md"));
        let (_tmp, root, outside) = site_with_outside();
        symlink(outside.join("secret.txt"), root.join("content/notes.txt")).unwrap();
        refused(&root, "content/notes.txt", &outside.join("secret.txt"));
    }

    #[test]
    fn a_link_to_the_process_environment_is_never_read() {
        let (_tmp, root, _) = site_with_outside();
        let environ = Path::new("/proc/self/environ");
        if !environ.exists() {
            eprintln!("skipped: no /proc on this system");
            return;
        }
        symlink(environ, root.join("content/env.txt")).unwrap();
        let out = root.parent().unwrap().join("out");
        let (output, stderr) = build_into(&root, &out, &[]);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("content/env.txt"), "{stderr}");
        assert!(!out.exists());
    }

    #[test]
    fn linked_sources_folders_and_site_yaml_outside_are_errors() {
        for (name, is_dir) in [
            ("content", true),
            ("templates", true),
            ("theme", true),
            ("site.yaml", false),
        ] {
            let (_tmp, root, outside) = site_with_outside();
            let target = if is_dir {
                if name == "content" {
                    fs::remove_dir_all(root.join("content")).unwrap();
                }
                outside.clone()
            } else {
                fs::write(outside.join("site.yaml"), "title: Elsewhere\n").unwrap();
                outside.join("site.yaml")
            };
            symlink(&target, root.join(name)).unwrap();
            refused(&root, name, &target);
        }
    }

    #[test]
    fn links_that_stay_inside_the_site_keep_working() {
        let (tmp, root, _) = site_with_outside();
        let brief =
            |title: &str| format!("---\ntitle: {title}\ndate: 2024-02-02\n---\n\nShared.\n");
        fs::create_dir_all(root.join("shared/folder")).unwrap();
        fs::write(root.join("shared/real.md"), brief("Common")).unwrap();
        fs::write(root.join("shared/folder/pooled.md"), brief("Pooled")).unwrap();
        // A file link through a second link, and a relative folder link, as authors
        // write them.
        symlink("real.md", root.join("shared/common.md")).unwrap();
        symlink(
            root.join("shared/common.md"),
            root.join("content/briefs/common.md"),
        )
        .unwrap();
        symlink("../../shared/folder", root.join("content/briefs/pool")).unwrap();
        let out = tmp.path().join("out");
        let (output, stderr) = build_into(&root, &out, &[]);
        assert!(output.status.success(), "{stderr}");
        assert!(out.join("briefs/common/index.html").is_file());
        assert!(out.join("briefs/pooled/index.html").is_file());
    }

    #[test]
    fn a_fifo_is_skipped_with_a_warning_and_never_opened() {
        let (tmp, root, _) = site_with_outside();
        let fifo = root.join("content/briefs/pipe.md");
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let out = tmp.path().join("out");
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("the build waited on a FIFO");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(status.success(), "{stderr}");
        assert!(stderr.contains("content/briefs/pipe.md"), "{stderr}");
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }
}
