//! The `yorisoi` command: a thin layer that reads flags, runs the library and prints
//! its diagnostics.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A build allocates many small strings on two threads at once; mimalloc serves that
/// pattern faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli_words;

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yorisoi::dates::{Moment, jst, parse_moment};
use yorisoi::report::{self, MessageLanguage};
use yorisoi::scaffold::NewContent;
use yorisoi::{BuildOptions, Outcome, Progress};

/// Builds the bilingual public-information site from the content folder.
///
/// Edit Markdown and TOML under content/, then run `yorisoi serve` to look at the site
/// in a browser, `yorisoi check` to find every problem, and `yorisoi build` to make the
/// folder you publish.
#[derive(Parser)]
#[command(name = "yorisoi", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    ///
    /// The previous output is replaced only if the whole build succeeds; on any error it
    /// is left exactly as it was. Exits with 1 on errors; warnings are shown but do not
    /// stop the build.
    Build {
        #[command(flatten)]
        common: CommonArgs,
        /// Also show how long each stage of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Check everything a build checks, without writing anything.
    ///
    /// Also fails on warnings (a missing translation, a missing interface text), so it
    /// is the command to run before publishing. It also lists facts whose sources are
    /// over a year old or undated, as notices to re-check them; those fail it only with
    /// --strict. Exits with 1 if anything that fails it is reported.
    Check {
        #[command(flatten)]
        common: CommonArgs,
        /// Fail on notices too (facts whose sources are over a year old or undated).
        #[arg(long)]
        strict: bool,
        /// Also show how long each stage of the check took.
        #[arg(long)]
        timings: bool,
    },
    /// Show the site at http://127.0.0.1:1111/ for checking in a browser, updated on save.
    ///
    /// The preview is kept in memory: nothing is written to the output folder, so what
    /// you publish is only ever what `build` makes. Drafts and scheduled announcements are
    /// shown here, labelled (never by `build`). Each save rebuilds what it changed and
    /// reloads the open pages; a mistake is shown over the page, with the last good
    /// version kept, until the next good save. Stop it with Ctrl+C.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on, on this computer only.
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Publish the built site into DEST, a folder a server reads or a sync tool uploads.
    ///
    /// Copies what changed since the last publish in the order readers need it: files
    /// that are not pages first, then pages, then removes files the site no longer has;
    /// each file is renamed into place whole. DEST must be empty or published by yorisoi
    /// before, and only files yorisoi published there are ever removed. Run build (and
    /// check) first. Running it again after it was stopped finishes the job.
    Publish {
        /// The folder to publish into (made if missing).
        dest: PathBuf,
        /// The folder build wrote.
        #[arg(long, default_value = "public")]
        from: PathBuf,
        /// The language of messages: ja or en. Without it, the locale decides.
        #[arg(long, value_name = "LANG", value_parser = ["ja", "en"])]
        messages: Option<String>,
    },
    /// Start new content from a template.
    #[command(subcommand)]
    New(NewCommand),
    /// Start a new site: a minimal bilingual site and the default theme in DIR.
    ///
    /// Creates DIR/content/ (site.toml, a home page and one page in Japanese and
    /// English) and DIR/themes/default/. It builds and passes `check` as it is; then
    /// give the site its name and address in content/site.toml. Never replaces a file.
    Init {
        /// The folder to create the site in (made if missing).
        dir: PathBuf,
        /// The language of messages: ja or en. Without it, the locale decides.
        #[arg(long, value_name = "LANG", value_parser = ["ja", "en"])]
        messages: Option<String>,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Start an announcement in every language of the site.
    ///
    /// Creates content/news/<today>-<slug>.<lang>.md for each language, dated today in
    /// Japan and marked as a draft, and prints their paths. Never replaces a file.
    News(NewNewsArgs),
    /// Start a page in every language of the site.
    ///
    /// Creates content/<path>.<lang>.md for each language, marked as a draft, and prints
    /// their paths. Never replaces a file.
    Page(NewPageArgs),
}

#[derive(Args)]
struct NewNewsArgs {
    /// The end of the file name and URL: lower-case letters, digits and hyphens
    /// (e.g. family-meeting).
    slug: String,
    #[command(flatten)]
    new: NewArgs,
}

#[derive(Args)]
struct NewPageArgs {
    /// The page's path below the content folder, without the language: lower-case
    /// letters, digits and hyphens, with / before it for a section's folder
    /// (e.g. family-class, or services/family-class).
    path: String,
    #[command(flatten)]
    new: NewArgs,
}

/// What `new news` and `new page` share.
#[derive(Args)]
struct NewArgs {
    /// The folder with site.toml.
    #[arg(long, default_value = "content", value_name = "DIR")]
    content: PathBuf,
    /// The language of messages: ja or en. Without it, the locale decides (LC_ALL,
    /// LC_MESSAGES, LANG): Japanese for ja_*, C or none, English for other languages.
    #[arg(long, value_name = "LANG", value_parser = ["ja", "en"])]
    messages: Option<String>,
    /// Date an announcement as if today were this date in Japan (e.g. 2026-04-08).
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
    /// The theme folder, whose texts give the placeholders (default: themes/<theme in
    /// site.toml> beside the content folder).
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
}

/// What every command that builds reads: where the site is, how to build it, and the
/// language of messages.
#[derive(Args, Clone)]
struct SiteArgs {
    /// The folder with site.toml, the pages and files.
    #[arg(long, default_value = "content", value_name = "DIR")]
    content: PathBuf,
    /// The address the site is published at; overrides base_url in site.toml.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The theme folder (default: themes/<theme in site.toml> beside the content folder).
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
    /// The language of messages: ja or en. Without it, the locale decides (LC_ALL,
    /// LC_MESSAGES, LANG): Japanese for ja_*, C or none, English for other languages.
    #[arg(long, value_name = "LANG", value_parser = ["ja", "en"])]
    messages: Option<String>,
    /// Build as if it were this date or time in Japan (e.g. 2026-04-08), to preview
    /// scheduled announcements.
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
}

impl SiteArgs {
    fn options(&self, output: &Path, include_drafts: bool) -> Result<BuildOptions, String> {
        let now = now(self.now.as_deref())?;
        Ok(BuildOptions {
            content: self.content.clone(),
            output: output.to_path_buf(),
            theme_dir: self.theme.clone(),
            base_url: self.base_url.clone(),
            include_drafts,
            served_from: None,
            now,
        })
    }

    fn language(&self) -> MessageLanguage {
        message_language(self.messages.as_deref())
    }
}

/// [`SiteArgs`] and the folder `build` writes to.
#[derive(Args, Clone)]
struct CommonArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The folder the site is written to. It is replaced whole on each build.
    #[arg(long, default_value = "public", value_name = "DIR")]
    output: PathBuf,
}

impl CommonArgs {
    fn options(&self, include_drafts: bool) -> Result<BuildOptions, String> {
        self.site.options(&self.output, include_drafts)
    }

    fn language(&self) -> MessageLanguage {
        self.site.language()
    }
}

/// `--messages` if given (and `ja` or `en`), else the person's locale.
fn message_language(flag: Option<&str>) -> MessageLanguage {
    flag.and_then(MessageLanguage::from_code)
        .unwrap_or_else(|| MessageLanguage::from_locale(|name| std::env::var(name).ok()))
}

/// `--now` if given, else the clock, in Japan time.
fn now(flag: Option<&str>) -> Result<Moment, String> {
    match flag {
        Some(text) => parse_moment(text).ok_or_else(|| {
            format!("--now \"{text}\": 2026-04-08 または 2026-04-08T09:30 の形で指定してください / use the form 2026-04-08")
        }),
        None => Ok(Moment {
            at: chrono::Utc::now().with_timezone(&jst()),
            has_time: true,
            month_only: false,
        }),
    }
}

/// The value of `--messages` among the arguments, read before clap reads them, so that
/// its help and its usage errors are in that language too.
fn messages_flag(args: &[OsString]) -> Option<String> {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if word == "--messages" {
            return words.next().map(str::to_owned);
        }
        if let Some(value) = word.strip_prefix("--messages=") {
            return Some(value.to_owned());
        }
    }
    None
}

/// The command line read, with `--help` and mistakes in it in the reader's language;
/// `Err` is the exit code after printing them.
fn read_command_line() -> Result<Cli, ExitCode> {
    let args = cli_words::help_command_as_flag(std::env::args_os().collect());
    let lang = message_language(messages_flag(&args).as_deref());
    let command = cli_words::localize(Cli::command(), lang);
    let read = command
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    read.map_err(|error| match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A reader that closed the pipe (`| head`) has read what it wanted.
            use std::io::Write;
            let _ = write!(std::io::stdout(), "{}", error.render());
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", error.render());
            ExitCode::from(2)
        }
        _ => {
            eprint!("{}", cli_words::usage_error(&error, lang));
            ExitCode::from(2)
        }
    })
}

fn main() -> ExitCode {
    let cli = match read_command_line() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Build { common, timings } => run(
            &common,
            timings,
            build_showing_progress,
            report::FailsOn::Errors,
        ),
        Command::Check {
            common,
            strict,
            timings,
        } => {
            let fails_on = if strict {
                report::FailsOn::Notices
            } else {
                report::FailsOn::Warnings
            };
            run(&common, timings, yorisoi::check, fails_on)
        }
        Command::Serve { site, port } => serve(&site, port),
        Command::New(NewCommand::News(args)) => {
            new_content(&args.new, NewContent::Announcement, &args.slug)
        }
        Command::New(NewCommand::Page(args)) => {
            new_content(&args.new, NewContent::Page, &args.path)
        }
        Command::Init { dir, messages } => init(&dir, message_language(messages.as_deref())),
        Command::Publish {
            dest,
            from,
            messages,
        } => publish(&from, &dest, message_language(messages.as_deref())),
    }
}

fn new_content(args: &NewArgs, kind: NewContent, name: &str) -> ExitCode {
    let lang = message_language(args.messages.as_deref());
    let today = match now(args.now.as_deref()) {
        Ok(moment) => moment.date(),
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match yorisoi::scaffold::new_content(&args.content, args.theme.as_deref(), kind, name, today) {
        Ok(paths) => {
            for path in &paths {
                println!("{}", path.display());
            }
            eprintln!("{}", report::created(paths.len(), lang));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", report::format(&d, &args.content, lang));
            ExitCode::FAILURE
        }
    }
}

fn publish(from: &Path, dest: &Path, lang: MessageLanguage) -> ExitCode {
    match yorisoi::publish::publish(from, dest) {
        Ok(done) => {
            eprintln!("{}", report::published(dest, &done, lang));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", report::format(&d, Path::new(""), lang));
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &Path, lang: MessageLanguage) -> ExitCode {
    match yorisoi::scaffold::new_site(dir) {
        Ok(folders) => {
            for folder in &folders {
                println!("{}", folder.display());
            }
            eprintln!("{}", report::site_created(dir, lang));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", report::format(&d, Path::new(""), lang));
            ExitCode::FAILURE
        }
    }
}

fn run(
    args: &CommonArgs,
    timings: bool,
    action: impl Fn(&BuildOptions) -> Outcome,
    fails_on: report::FailsOn,
) -> ExitCode {
    let options = match args.options(false) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let outcome = action(&options);
    print_outcome(&outcome, &options, fails_on, args.language());
    if timings {
        eprintln!("{}", report::timings(&outcome.timings, args.language()));
    }
    let failed = match fails_on {
        report::FailsOn::Errors => outcome.has_errors(),
        report::FailsOn::Warnings => outcome.has_errors() || outcome.has_warnings(),
        report::FailsOn::Notices => {
            outcome.has_errors() || outcome.has_warnings() || outcome.has_notices()
        }
    };
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// How long a build runs before its progress is shown: a short build finishes before a
/// bar would be any help, and one flashing by is only noise.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// [`yorisoi::build`] with a bar counting rendered pages on stderr, shown only on a
/// terminal and only once the build has taken longer than [`PROGRESS_AFTER`], so that
/// pipes, logs and tests never see it. It is cleared before any message is printed.
fn build_showing_progress(options: &BuildOptions) -> Outcome {
    if !std::io::stderr().is_terminal() {
        return yorisoi::build(options);
    }
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{elapsed:>4} [{wide_bar}] {pos}/{len}") {
        bar.set_style(style);
    }
    let shown = AtomicBool::new(false);
    let outcome = yorisoi::build_with_progress(options, &|p: Progress| {
        if bar.length() != Some(p.total as u64) {
            bar.set_length(p.total as u64);
        }
        bar.set_position(p.done as u64);
        if started.elapsed() > PROGRESS_AFTER && !shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    });
    bar.finish_and_clear();
    outcome
}

/// The messages, grouped under a heading per file when they concern several files
/// (they come sorted by file and line), then the summary.
fn print_outcome(
    outcome: &Outcome,
    options: &BuildOptions,
    fails_on: report::FailsOn,
    lang: MessageLanguage,
) {
    let file_of =
        |d: &yorisoi::diagnostics::Diagnostic| d.location.as_ref().map(|l| l.file.clone());
    use std::io::Write;
    let mut counts = std::collections::BTreeMap::new();
    for file in outcome.diagnostics.iter().filter_map(file_of) {
        *counts.entry(file).or_insert(0) += 1;
    }
    // Buffered: stderr writes each line at once otherwise, and thousands of messages
    // would cost more than the build. A message that cannot be written (the reader
    // closed the pipe) leaves nothing to do.
    let mut out = std::io::BufWriter::new(std::io::stderr().lock());
    let mut current = None;
    for d in &outcome.diagnostics {
        let file = file_of(d);
        if counts.len() > 1 && file != current {
            if let Some(path) = &file {
                let count = counts.get(path).copied().unwrap_or(0);
                let heading = report::file_heading(path, &options.content, count, lang);
                let _ = writeln!(out, "{heading}\n");
            }
            current = file;
        }
        let _ = writeln!(out, "{}\n", report::format(d, &options.content, lang));
    }
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_warning())
        .count();
    let notices = outcome.diagnostics.len() - errors - warnings;
    let written = outcome.written.then_some(options.output.as_path());
    let _ = writeln!(
        out,
        "{}",
        report::summary(
            errors,
            warnings,
            notices,
            outcome.pages,
            written,
            fails_on,
            lang
        )
    );
    let _ = out.flush();
}

fn serve(args: &SiteArgs, port: u16) -> ExitCode {
    // The preview is never written anywhere, so it has no output folder.
    let options = match args.options(Path::new(""), true) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    // A base URL given on the command line cannot be corrected by saving a file, as the
    // preview's other messages can: it is refused before the preview starts.
    if let Some(url) = &args.base_url
        && let Err(flaw) = yorisoi::address::SiteAddress::parse(url)
    {
        let problem = yorisoi::diagnostics::Problem::InvalidBaseUrl {
            value: url.clone(),
            flaw,
        };
        let d = yorisoi::diagnostics::Diagnostic::error(problem);
        eprintln!("{}", report::format(&d, &args.content, args.language()));
        return ExitCode::FAILURE;
    }
    match yorisoi::serve::run(options, port, args.language()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(yorisoi::serve::ServeError::Listen(message)) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
