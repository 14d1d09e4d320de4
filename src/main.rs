//! The `barometre` command line. Exit codes: 0 success, 1 the input has errors (nothing was
//! written), 2 command-line usage error, 3 the machine refused (I/O error; the previous
//! output is untouched).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "barometre",
    version,
    about = "Compile the editions of a barometer into a bilingual static site that browses offline",
    after_help = "Exit codes: 0 success; 1 errors in the input (nothing written); 2 usage error; 3 I/O error (previous output untouched)."
)]
struct Cli {
    /// Project folder (the one holding site.yaml).
    #[arg(long, short = 'C', global = true, default_value = ".")]
    root: PathBuf,
    /// No progress bar and no tables: only errors, warnings and the one-line summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Folder holding the themes (default: <project>/themes), relative to where the command
    /// runs; the theme named in site.yaml is read from it.
    #[arg(long, global = true, value_name = "DIR")]
    themes: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (atomically: a failed build changes nothing).
    Build {
        /// Output folder.
        #[arg(long, short, default_value = "public")]
        out: PathBuf,
        /// Treat missing translations and numbers that read backwards in a right-to-left
        /// language as errors.
        #[arg(long)]
        strict: bool,
        /// Accepted for compatibility: pages are no longer minified (it saved 3 % of their
        /// gzipped size; see BENCHMARKS.md).
        #[arg(long, hide = true)]
        no_minify: bool,
        /// Also write zips to read offline: downloads/site-<lang>.zip and
        /// downloads/edition-<id>-<lang>.zip (linked from the pages).
        #[arg(long)]
        package: bool,
    },
    /// Run every validation of `build` (templates, links, published-edition integrity)
    /// without writing, and end with a summary table.
    Check {
        /// Treat missing translations and numbers that read backwards in a right-to-left
        /// language as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Check a copy of the built site (a mirror, an unzipped package) against its
    /// manifest.json: lists missing, altered and extra files; exit code 1 on any difference.
    Verify {
        /// The folder holding the copy and its manifest.json.
        dir: PathBuf,
    },
    /// Build in memory and serve the site on 127.0.0.1 with live reload; rebuild on change.
    #[cfg(feature = "serve")]
    Serve {
        /// Port on 127.0.0.1 (0: any free port; the address is printed).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Treat missing translations and numbers that read backwards in a right-to-left
        /// language as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Scaffold new content.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Freeze an edition: set `status: published` and record its content hash in
    /// edition.yaml. Later changes need a new version and a changelog entry.
    Publish {
        /// The edition id (its folder name under editions/).
        id: String,
        /// Treat missing translations and numbers that read backwards in a right-to-left
        /// language as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Subcommand)]
enum New {
    /// A new edition folder: edition.yaml (draft, 0.1.0, TODO texts) and one page per language.
    Edition {
        /// The edition id, e.g. 2025-bism-vague-2 (a-z, 0-9 and `-`).
        id: String,
        /// Copy the indicator definitions of this previous edition, without their values.
        #[arg(long)]
        from: Option<String>,
        /// The edition's kind (default: the previous edition's, else barometer-wave).
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// The edition's year (default: the year the id starts with, else this year).
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    RegionalMeetings,
    BarometerWave,
}

fn options(cli: &Cli, strict: bool) -> barometre::Options {
    let mut opts = barometre::Options::new(&cli.root);
    opts.strict = strict;
    opts.themes = cli.themes.clone();
    opts.progress = !cli.quiet && std::io::stderr().is_terminal();
    opts
}

fn fail(e: &barometre::Error) -> ExitCode {
    match e {
        barometre::Error::Input(d) => {
            for line in d.folded() {
                eprintln!("{line}");
            }
            let errors = d.errors().count();
            let warnings = d.warnings().count();
            let s = if errors == 1 { "" } else { "s" };
            eprintln!("{errors} error{s}, {warnings} warning(s)");
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::from(e.exit_code() as u8)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Build {
            out,
            strict,
            no_minify: _,
            package,
        } => build(&cli, out, *strict, *package),
        Command::Check { strict } => check(&cli, *strict),
        Command::Verify { dir } => {
            let dir = if dir.is_relative() && cli.root != std::path::Path::new(".") {
                cli.root.join(dir)
            } else {
                dir.clone()
            };
            barometre::verify_command(&dir)
        }
        #[cfg(feature = "serve")]
        Command::Serve { port, strict } => {
            let opts = options(&cli, *strict);
            match barometre::serve(&opts, *port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::New {
            what:
                New::Edition {
                    id,
                    from,
                    kind,
                    year,
                },
        } => new_edition(&cli, id, from.clone(), *kind, *year),
        Command::Publish { id, strict } => publish(&cli, id, *strict),
    }
}

fn build(cli: &Cli, out: &std::path::Path, strict: bool, package: bool) -> ExitCode {
    let mut opts = options(cli, strict);
    opts.package = package;
    let out = if out.is_relative() {
        cli.root.join(out)
    } else {
        out.to_path_buf()
    };
    match barometre::build(&opts, &out) {
        Ok(report) => {
            print_warnings(cli, &report);
            for p in &report.packages {
                println!("package {} ({} files, {} bytes)", p.path, p.files, p.bytes);
            }
            println!(
                "built {} pages ({} files) in {:.2} s into {}",
                report.pages,
                report.files,
                report.seconds,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(f) => fail(&f.error),
    }
}

fn check(cli: &Cli, strict: bool) -> ExitCode {
    let opts = options(cli, strict);
    match barometre::check(&opts) {
        Ok(report) => {
            print_warnings(cli, &report);
            if !cli.quiet {
                eprint!("{}", barometre::Summary::of_report(&report));
            }
            println!(
                "checked {} pages ({} files) in {:.2} s: no errors, {} warning(s)",
                report.pages,
                report.files,
                report.seconds,
                report.warnings.warnings().count()
            );
            ExitCode::SUCCESS
        }
        Err(f) => {
            let code = fail(&f.error);
            if let (barometre::Error::Input(diags), false) = (&f.error, cli.quiet) {
                eprint!("{}", barometre::Summary::of_failure(&f.integrity, diags));
            }
            code
        }
    }
}

fn new_edition(
    cli: &Cli,
    id: &str,
    from: Option<String>,
    kind: Option<Kind>,
    year: Option<i32>,
) -> ExitCode {
    use barometre::EditionKind;
    let req = barometre::NewEdition {
        id: id.to_string(),
        from,
        kind: kind.map(|k| match k {
            Kind::RegionalMeetings => EditionKind::RegionalMeetings,
            Kind::BarometerWave => EditionKind::BarometerWave,
        }),
        year,
    };
    match barometre::new_edition(&cli.root, &req) {
        Ok(done) => {
            for w in &done.warnings {
                eprintln!("{w}");
            }
            for f in &done.files {
                println!("created {}", barometre::display_path(f));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn publish(cli: &Cli, id: &str, strict: bool) -> ExitCode {
    let opts = options(cli, strict);
    match barometre::publish(&opts, id) {
        Ok(p) if p.changed => {
            println!(
                "published {} version {}: {} recorded in editions/{}/edition.yaml",
                p.id, p.version, p.hash, p.id
            );
            ExitCode::SUCCESS
        }
        Ok(p) => {
            println!(
                "{} version {} is already published with this content ({})",
                p.id, p.version, p.hash
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn print_warnings(cli: &Cli, report: &barometre::Report) {
    for w in report.warnings.folded() {
        eprintln!("{w}");
    }
    if !cli.quiet {
        eprint!(
            "{}",
            barometre::coverage_table(&report.coverage, &report.integrity.languages)
        );
    }
}

// Pages are built from many small strings (Markdown events, template values, minifier
// nodes): the system allocator was ~15 % of a build's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
