//! The `barometre` command line. Exit codes: 0 success, 1 the input has errors (nothing was
//! written) or `verify` found differences, 2 command-line usage error, 3 the machine refused
//! (I/O error; the previous output is untouched).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "barometre",
    version,
    about = "Compile the editions of a barometer into a bilingual static site that browses offline",
    after_help = "Exit codes: 0 success; 1 errors in the input (nothing written), or `verify` found differences; 2 usage error; 3 I/O error (previous output untouched)."
)]
struct Cli {
    /// Project folder (the one holding site.yaml).
    #[arg(long, short = 'C', global = true, default_value = ".")]
    root: PathBuf,
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
        /// Treat missing translations as errors.
        #[arg(long)]
        strict: bool,
        /// Do not minify the HTML (for reading the output).
        #[arg(long)]
        no_minify: bool,
        /// Also write zips to read offline: downloads/site-<lang>.zip and
        /// downloads/edition-<id>-<lang>.zip (linked from the pages).
        #[arg(long)]
        package: bool,
    },
    /// Run every validation of `build` (templates and links included) without writing.
    Check {
        /// Treat missing translations as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Check a copy of the built site (a mirror, an unzipped package) against its
    /// manifest.json: lists missing, altered and extra files; exit code 1 on any difference.
    Verify {
        /// The folder holding the copy and its manifest.json.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build {
            out,
            strict,
            no_minify,
            package,
        } => {
            let mut opts = barometre::Options::new(&cli.root);
            opts.strict = *strict;
            opts.minify = !no_minify;
            opts.package = *package;
            let out = if out.is_relative() {
                cli.root.join(out)
            } else {
                out.clone()
            };
            barometre::build(&opts, &out).map(|r| (r, Some(out)))
        }
        Command::Check { strict } => {
            let mut opts = barometre::Options::new(&cli.root);
            opts.strict = *strict;
            barometre::check(&opts).map(|r| (r, None))
        }
        Command::Verify { dir } => {
            let dir = if dir.is_relative() && cli.root != std::path::Path::new(".") {
                cli.root.join(dir)
            } else {
                dir.clone()
            };
            return barometre::offline::verify::run(&dir);
        }
    };
    match result {
        Ok((report, out)) => {
            for w in report.warnings.warnings() {
                eprintln!("{w}");
            }
            eprint!("{}", report.coverage);
            match out {
                Some(out) => {
                    for p in &report.packages {
                        println!("package {} ({} files, {} bytes)", p.path, p.files, p.bytes);
                    }
                    println!(
                        "built {} pages ({} files) in {:.2} s into {}",
                        report.pages,
                        report.files,
                        report.seconds,
                        out.display()
                    )
                }
                None => println!(
                    "checked {} pages ({} files) in {:.2} s: no errors, {} warning(s)",
                    report.pages,
                    report.files,
                    report.seconds,
                    report.warnings.warnings().count()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

// Pages are built from many small strings (Markdown events, template values, minifier
// nodes): the system allocator was ~15 % of a build's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
