//! The `briefly` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// A faster allocator for a workload of many small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use briefly::build::{build, BuildOptions};
use briefly::scaffold;
use briefly::serve::{self, ServeOptions};

#[derive(Parser)]
#[command(
    name = "briefly",
    version,
    about = "A static site generator for policy briefs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new site with a sample brief, actor and event, and the GitHub Pages
    /// workflow that publishes it.
    Init {
        /// Folder to create the site in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Do not write .github/workflows/pages.yml.
        #[arg(long)]
        no_workflow: bool,
    },
    /// Build the site.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder, relative to the current folder (default: <root>/public).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url of site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Replace an output folder that briefly did not write, and everything in it
        /// (never the site, its sources, the home folder or a file-system root).
        #[arg(long)]
        force: bool,
    },
    /// Validate everything; write nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Preview the site with live reload: build, serve, rebuild on changes.
    Serve {
        /// The site folder (holds content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on [default: 1111, or the next free one; 0 picks any free port].
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on; anything but loopback makes the preview public.
        #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
        bind: IpAddr,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new brief, actor or event file.
    New {
        /// What to create.
        kind: NewKind,
        /// Its title (or name).
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (holds content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Print the time each stage took.
    #[arg(long)]
    timings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Brief,
    Actor,
    Event,
}

fn main() -> ExitCode {
    // Transparent huge pages cost more than they give here: the kernel zeroes 2 MB pages
    // for a heap of many small strings. Without them, a 10k-brief build spends half the
    // system time and peaks 8% lower (BENCHMARKS.md).
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    match cli.command {
        Command::Init { dir, no_workflow } => init(&dir, no_workflow),
        Command::New { kind, title, root } => new_file(kind, &title, &root),
        Command::Build {
            site,
            output,
            base_url,
            force,
        } => {
            remove_staging_on_interrupt();
            let options = BuildOptions {
                force,
                root: site.root,
                output,
                base_url,
                drafts: site.drafts,
                strict: site.strict,
                write: true,
                progress: std::io::stderr().is_terminal(),
            };
            run(&options, site.timings)
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
        } => {
            let options = ServeOptions {
                root,
                port,
                bind,
                drafts,
                open,
            };
            match serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => failed(&e),
            }
        }
        Command::Check { site } => {
            let options = BuildOptions {
                root: site.root,
                drafts: site.drafts,
                strict: site.strict,
                write: false,
                ..BuildOptions::default()
            };
            run(&options, site.timings)
        }
    }
}

/// `briefly init DIR`: a new site, and what to do next.
fn init(dir: &std::path::Path, no_workflow: bool) -> ExitCode {
    match scaffold::init(dir, !no_workflow) {
        Ok(files) => {
            for f in files {
                println!("created {}", f.display());
            }
            println!("Preview it with: briefly serve --root {}", dir.display());
            if !no_workflow {
                println!(
                    "Publish it: push to GitHub and set Settings -> Pages -> Source to \"GitHub Actions\" (docs/publishing.md)"
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => failed(&e),
    }
}

/// `briefly new KIND TITLE`: a new brief, actor or event file, dated today.
fn new_file(kind: NewKind, title: &str, root: &std::path::Path) -> ExitCode {
    let kind = match kind {
        NewKind::Brief => scaffold::NewKind::Brief,
        NewKind::Actor => scaffold::NewKind::Actor,
        NewKind::Event => scaffold::NewKind::Event,
    };
    match scaffold::new_file(root, kind, title, &scaffold::today()) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => failed(&e),
    }
}

/// Prints `error` and gives the exit code of a command that could not start or finish.
fn failed(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(2)
}

/// On Ctrl-C, SIGTERM or SIGHUP, a build removes its staging folder before it exits
/// (128 + the signal: 130 for Ctrl-C, 143 for SIGTERM).
fn remove_staging_on_interrupt() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                briefly::write::remove_active_staging();
                std::process::exit(128 + signal);
            }
        });
    }
    #[cfg(not(unix))]
    {
        let _ = ctrlc::set_handler(|| {
            briefly::write::remove_active_staging();
            std::process::exit(130);
        });
    }
}

fn run(options: &BuildOptions, timings: bool) -> ExitCode {
    match build(options) {
        Ok(report) => {
            eprint!("{}", report.diagnostics);
            if timings {
                eprintln!(
                    "  {:<14} {:>11} {:>11} {:>11} {:>9}",
                    "stage", "wall", "cpu", "of it sys", "faults"
                );
                for stage in &report.timings {
                    eprintln!(
                        "  {:<14} {:>8.1} ms {:>8.1} ms {:>8.1} ms {:>9}",
                        stage.name,
                        stage.wall.as_secs_f64() * 1000.0,
                        stage.cpu.as_secs_f64() * 1000.0,
                        stage.system.as_secs_f64() * 1000.0,
                        stage.minor_faults
                    );
                }
            }
            println!("{}", report.summary(options.write));
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            let counts = diagnostics.counts();
            if options.write {
                eprintln!("build failed: {counts}; the previous output is untouched");
            } else {
                eprintln!("check failed: {counts}");
            }
            ExitCode::from(1)
        }
    }
}
