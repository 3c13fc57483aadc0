//! The one place that turns typed problems into words for people.
//!
//! Each message reads `path:line:column: severity: what is wrong — how to fix it`, then
//! the offending line with a marker under the column. Japanese by default, for the
//! centre's staff; English on request.

use std::fmt::Write;
use std::path::Path;

use crate::address::BaseUrlFlaw;
use crate::diagnostics::{
    AsOfDate, BrowserPolicy, Diagnostic, DownloadFinding, Entry, NotLookedInto, OutputRefusal,
    Problem, RouteOwner, SavedAs, Severity, TomlHint, ValueKind,
};
use crate::file_kinds::NameFlaw;
use crate::locale::Script;
use crate::localized::LocalizedError;
use crate::phone::PhoneError;

/// The language messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageLanguage {
    #[default]
    Japanese,
    English,
}

impl MessageLanguage {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "ja" => Some(Self::Japanese),
            "en" => Some(Self::English),
            _ => None,
        }
    }

    /// The language's code, as `lang` attributes write it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Japanese => "ja",
            Self::English => "en",
        }
    }

    /// The language of the person at the terminal, from the POSIX locale variables in
    /// the order the C library reads them: the first of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` that is set and not empty decides. `ja_JP.UTF-8` reads Japanese,
    /// `en_GB.UTF-8` English; unset, `C` and `POSIX` read Japanese, since the site's
    /// staff are Japanese and many machines leave the locale at `C`. Any other language
    /// reads English, the one more of them are likely to share.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty());
        let Some(locale) = locale else {
            return Self::Japanese;
        };
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "ja" | "c" | "posix" | "" => Self::Japanese,
            _ => Self::English,
        }
    }
}

/// One diagnostic as text; `content` is prefixed to paths inside the content folder.
pub fn format(d: &Diagnostic, content: &Path, lang: MessageLanguage) -> String {
    let (what, how) = describe(&d.problem, lang);
    let severity = match (d.severity, lang) {
        (Severity::Error, MessageLanguage::Japanese) => "エラー",
        (Severity::Warning, MessageLanguage::Japanese) => "警告",
        (Severity::Notice, MessageLanguage::Japanese) => "要確認",
        (Severity::Notice, MessageLanguage::English) => "notice",
        (Severity::Error, MessageLanguage::English) => "error",
        (Severity::Warning, MessageLanguage::English) => "warning",
    };
    let mut text = String::new();
    if let Some(loc) = &d.location {
        let path = display_path(&loc.file, content);
        let _ = write!(text, "{path}:{}:{}: ", loc.line, loc.column);
    }
    let entry = d
        .entry
        .as_ref()
        .map(|e| entry_name(e, lang))
        .unwrap_or_default();
    let _ = write!(text, "{severity}: {entry}{what} — {how}");
    // Values quoted in the message come from the files, file names included: none may
    // send the terminal a control sequence.
    let mut text = printable(&text);
    if let (Some(excerpt), Some(loc)) = (&d.source_line, &d.location) {
        let number = loc.line.to_string();
        let pad = " ".repeat(number.len());
        let line = printable(&excerpt.text);
        let marker = " ".repeat(display_width(&excerpt.text, excerpt.column));
        let _ = write!(text, "\n {number} | {line}\n {pad} | {marker}^");
    }
    text
}

/// What `new` says after creating files.
pub fn created(files: usize, lang: MessageLanguage) -> String {
    match lang {
        MessageLanguage::Japanese => format!(
            "{files} 件のファイルを下書きとして作りました。題名と本文を書き、`yorisoi serve` で確認してから draft = true の行を消してください。"
        ),
        MessageLanguage::English => format!(
            "Created {files} files as drafts. Write the title and text, check them with `yorisoi serve`, then delete the line draft = true."
        ),
    }
}

/// `1 error`, `2 errors`: a count with its noun, singular or plural.
fn count_en(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `init` made a new site.
pub fn site_created(dir: &Path, lang: MessageLanguage) -> String {
    let dir = dir.display();
    match lang {
        MessageLanguage::Japanese => format!(
            "新しいサイトを {dir} に作りました。`cd {dir}` のあと `yorisoi serve` で確認できます。まず content/site.toml のサイト名（title）と公開先アドレス（base_url）を書き換えてください。"
        ),
        MessageLanguage::English => format!(
            "Created a new site in {dir}. Run `cd {dir}` and then `yorisoi serve` to look at it. Start by setting the site's name (title) and address (base_url) in content/site.toml."
        ),
    }
}

/// `serve` could not listen on its port because another program uses it.
pub fn port_in_use(port: u16, lang: MessageLanguage) -> String {
    let other = port.checked_add(1).unwrap_or(1111);
    match lang {
        MessageLanguage::Japanese => format!(
            "ポート {port} はほかのプログラムが使っています。すでに yorisoi serve を開いていないか確かめるか、`yorisoi serve --port {other}` のように別の番号を指定してください。"
        ),
        MessageLanguage::English => format!(
            "Port {port} is in use by another program. Check that yorisoi serve is not already running, or choose another port: `yorisoi serve --port {other}`."
        ),
    }
}

/// `serve` could not listen for another reason.
pub fn cannot_listen(address: &str, detail: &str, lang: MessageLanguage) -> String {
    match lang {
        MessageLanguage::Japanese => format!(
            "{address} で待ち受けられませんでした（{detail}）。`--port` で別の番号を指定してください。"
        ),
        MessageLanguage::English => {
            format!("Could not listen on {address} ({detail}). Choose another port with `--port`.")
        }
    }
}

/// `serve` is ready.
pub fn serving(url: &str, lang: MessageLanguage) -> String {
    match lang {
        MessageLanguage::Japanese => format!(
            "{url} で確認用に表示しています（下書きも表示します）。保存するとページが自動で更新されます。公開用フォルダーには何も書き出しません。終了するには Ctrl+C を押してください。"
        ),
        MessageLanguage::English => format!(
            "Showing the preview at {url} (drafts included). Pages reload when you save. Nothing is written to the output folder. Press Ctrl+C to stop."
        ),
    }
}

/// `serve` cannot follow saves.
pub fn cannot_watch(detail: &str, lang: MessageLanguage) -> String {
    match lang {
        MessageLanguage::Japanese => format!(
            "ファイルの変更を監視できません（{detail}）。表示は続けますが、保存しても更新されません。yorisoi serve を開き直してください。"
        ),
        MessageLanguage::English => format!(
            "Cannot watch the files for changes ({detail}). The preview stays, but saves will not update it; start yorisoi serve again."
        ),
    }
}

/// The closing line of each preview build.
pub fn preview_built(
    rendered: usize,
    errors: usize,
    warnings: usize,
    took: Option<std::time::Duration>,
    kept_last_good: bool,
    lang: MessageLanguage,
) -> String {
    let ms = took.map(|t| t.as_secs_f64() * 1000.0);
    match (lang, errors) {
        (MessageLanguage::Japanese, 0) => match ms {
            Some(ms) => {
                format!("更新しました（{rendered} 件を作成、{ms:.0} ミリ秒、警告 {warnings} 件）。")
            }
            None => format!("作成しました（{rendered} 件、警告 {warnings} 件）。"),
        },
        (MessageLanguage::Japanese, _) if kept_last_good => format!(
            "エラー {errors} 件、警告 {warnings} 件。ブラウザーには最後に正しく作れた状態を、エラーと一緒に表示しています。直して保存してください。"
        ),
        (MessageLanguage::Japanese, _) => format!(
            "エラー {errors} 件、警告 {warnings} 件。ブラウザーにもエラーを表示しています。直して保存すると表示されます。"
        ),
        (MessageLanguage::English, 0) => match ms {
            Some(ms) => {
                format!(
                    "Updated ({} made in {ms:.0} ms, {}).",
                    count_en(rendered, "file"),
                    count_en(warnings, "warning")
                )
            }
            None => format!(
                "Built {} ({}).",
                count_en(rendered, "file"),
                count_en(warnings, "warning")
            ),
        },
        (MessageLanguage::English, _) if kept_last_good => format!(
            "{}, {}. The browser shows the last good state with the errors over it. Fix them and save.",
            count_en(errors, "error"),
            count_en(warnings, "warning")
        ),
        (MessageLanguage::English, _) => format!(
            "{}, {}. The browser shows them too; the site appears once they are fixed and saved.",
            count_en(errors, "error"),
            count_en(warnings, "warning")
        ),
    }
}

/// The heading of the messages shown over a preview page after a failed build.
pub fn preview_failed(lang: MessageLanguage) -> &'static str {
    match lang {
        MessageLanguage::Japanese => {
            "エラーがあるため、最後に正しく作れた状態を表示しています。直して保存すると、この表示は消えます。"
        }
        MessageLanguage::English => {
            "There are errors, so this is the last good state. Fix them and save, and this notice goes away."
        }
    }
}

/// The heading over the messages of one file, when a build's messages concern several.
pub fn file_heading(file: &Path, content: &Path, count: usize, lang: MessageLanguage) -> String {
    let path = display_path(file, content);
    match lang {
        MessageLanguage::Japanese => format!("── {path}（{count} 件）"),
        MessageLanguage::English if count == 1 => format!("── {path} (1 message)"),
        MessageLanguage::English => format!("── {path} ({count} messages)"),
    }
}

/// The closing line of a build or check.
/// What a run counts as failure, for the last line of its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailsOn {
    /// `build`: errors only.
    Errors,
    /// `check`: errors and warnings.
    Warnings,
    /// `check --strict`: notices too.
    Notices,
}

pub fn summary(
    errors: usize,
    warnings: usize,
    notices: usize,
    pages: usize,
    written: Option<&Path>,
    fails_on: FailsOn,
    lang: MessageLanguage,
) -> String {
    let mut text = match (lang, written) {
        (MessageLanguage::Japanese, Some(out)) => format!(
            "{pages} ページを {} に書き出しました（警告 {warnings} 件）。",
            out.display()
        ),
        (MessageLanguage::Japanese, None) if errors > 0 => format!(
            "エラー {errors} 件、警告 {warnings} 件。公開用フォルダーは変更していません。上のメッセージの順に直してください。"
        ),
        (MessageLanguage::Japanese, None) => {
            format!("{pages} ページを確認しました。エラー {errors} 件、警告 {warnings} 件。")
        }
        (MessageLanguage::English, Some(out)) => format!(
            "Wrote {} to {} ({}).",
            count_en(pages, "page"),
            out.display(),
            count_en(warnings, "warning")
        ),
        (MessageLanguage::English, None) if errors > 0 => format!(
            "{}, {}. The output folder was not changed. Fix the messages above in order.",
            count_en(errors, "error"),
            count_en(warnings, "warning")
        ),
        (MessageLanguage::English, None) => format!(
            "Checked {}: {}, {}.",
            count_en(pages, "page"),
            count_en(errors, "error"),
            count_en(warnings, "warning")
        ),
    };
    // Notices fail only `check --strict`; it says so, and what to do about it.
    let strict = fails_on == FailsOn::Notices;
    if notices > 0 {
        text.push_str(&match (lang, strict) {
            (MessageLanguage::Japanese, true) => format!(
                "\n要確認 {notices} 件。--strict では要確認も失敗として扱うため、この確認は失敗です（終了コード 1）。上の「要確認」をひとつずつ確かめて直してください。公開を止めない知らせとして見るだけなら、--strict なしで実行してください。"
            ),
            (MessageLanguage::Japanese, false) => format!(
                "\n要確認 {notices} 件（公開は止めません）。上の「要確認」を読み、必要なものを確かめてください。"
            ),
            (MessageLanguage::English, true) => format!(
                "\n{}. With --strict, notices count as failures, so this check failed (exit code 1): check and correct each notice above, or run without --strict to treat them as reminders.",
                count_en(notices, "notice")
            ),
            (MessageLanguage::English, false) => format!(
                "\n{} (they do not stop publishing): please read the notices above and check what they ask.",
                count_en(notices, "notice")
            ),
        });
    }
    if errors == 0 && warnings > 0 && fails_on != FailsOn::Errors {
        text.push_str(match lang {
            MessageLanguage::Japanese => {
                "\ncheck は警告があると失敗します（終了コード 1）。上の「警告」を直してください。"
            }
            MessageLanguage::English => {
                "\ncheck fails on warnings (exit code 1): correct the warnings above."
            }
        });
    }
    text
}

/// What `publish` says when it is done.
pub fn published(to: &Path, done: &crate::publish::Published, lang: MessageLanguage) -> String {
    match lang {
        MessageLanguage::Japanese => format!(
            "{} に公開しました（新しいか変わったファイル {} 件、変わらないファイル {} 件、消したファイル {} 件）。",
            to.display(),
            done.copied,
            done.unchanged,
            done.removed
        ),
        MessageLanguage::English => format!(
            "Published to {} ({} new or changed files, {} unchanged, {} removed).",
            to.display(),
            done.copied,
            done.unchanged,
            done.removed
        ),
    }
}

/// What `--timings` prints after the summary: a heading, then the milliseconds each
/// stage took and their total, numbers first so that they line up in either language.
/// Stage names stay as the build names them, to match the code they measure.
pub fn timings(laps: &[(&str, std::time::Duration)], lang: MessageLanguage) -> String {
    let (heading, total) = match lang {
        MessageLanguage::Japanese => ("各段階の処理時間（ミリ秒）:", "合計"),
        MessageLanguage::English => ("Time per stage (ms):", "total"),
    };
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let mut text = heading.to_owned();
    for (stage, took) in laps {
        let _ = write!(text, "\n{:>10.1}  {stage}", ms(*took));
    }
    let sum: std::time::Duration = laps.iter().map(|(_, took)| *took).sum();
    let _ = write!(text, "\n{:>10.1}  {total}", ms(sum));
    text
}

/// The entry a problem is in, before the problem: `[[municipality]]「仙台市」: `.
fn entry_name(entry: &Entry, lang: MessageLanguage) -> String {
    let heading = &entry.heading;
    match (lang, &entry.name, entry.number) {
        (MessageLanguage::Japanese, Some(name), _) => format!("{heading}「{name}」: "),
        (MessageLanguage::Japanese, None, Some(n)) => format!("{heading}（{n}番目）: "),
        (MessageLanguage::English, Some(name), _) => format!("{heading} \"{name}\": "),
        (MessageLanguage::English, None, Some(n)) => format!("{heading} no. {n}: "),
        (_, None, None) => format!("{heading}: "),
    }
}

fn display_path(file: &Path, content: &Path) -> String {
    let path = if file.is_absolute() {
        let cwd = std::env::current_dir().unwrap_or_default();
        file.strip_prefix(&cwd).unwrap_or(file).to_path_buf()
    } else if file.starts_with(content) {
        file.to_path_buf()
    } else {
        content.join(file)
    };
    path.display().to_string()
}

/// A source line as it may be shown in a terminal: control characters (an escape
/// sequence pasted into a file could otherwise recolour or clear the terminal of the
/// person reading), bidi overrides (which would reorder the line shown) and
/// noncharacters become visible `\u{…}` forms; a tab stays a tab.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| {
            if shown_escaped(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether [`printable`] shows `c` as its `\u{…}` form.
fn shown_escaped(c: char) -> bool {
    (c.is_control() && c != '\t') || crate::content_policy::is_forbidden_control(c)
}

/// The terminal columns before character `column` of `line` as [`printable`] shows
/// it: full-width characters take two, an escaped character its `\u{…}` form.
fn display_width(line: &str, column: usize) -> usize {
    line.chars()
        .take(column.saturating_sub(1))
        .map(|c| match c {
            c if shown_escaped(c) => format!("\\u{{{:x}}}", c as u32).len(),
            c if (c as u32) >= 0x1100 => 2,
            _ => 1,
        })
        .sum()
}

fn list(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

/// (what is wrong, how to fix it)
pub fn describe(problem: &Problem, lang: MessageLanguage) -> (String, String) {
    match lang {
        MessageLanguage::Japanese => japanese(problem),
        MessageLanguage::English => english(problem),
    }
}

fn value_kind_ja(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Text => "文字列（\"...\" で囲む）",
        ValueKind::Bool => "true または false",
        ValueKind::Integer => "整数（例: 10）",
        ValueKind::Count => "0 以上の整数（例: 20）",
        ValueKind::Date => "日付（例: 2026-04-08）",
        ValueKind::List => "[ ] で囲んだ一覧（例: [\"a\", \"b\"]）",
        ValueKind::Table => "表（[見出し] の下に「キー = 値」を並べたもの）",
        ValueKind::Entries => "[[見出し]] の行で始まる項目（項目ごとに [[見出し]] を書く）",
        ValueKind::Words => {
            "文字列（\"...\" で囲む）か、言語ごとの文（例: name.ja = \"…\" と name.en = \"…\"）"
        }
    }
}

fn value_kind_en(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Text => "text in quotes (\"...\")",
        ValueKind::Bool => "true or false",
        ValueKind::Integer => "a whole number (e.g. 10)",
        ValueKind::Count => "a whole number, 0 or more (e.g. 20)",
        ValueKind::Date => "a date (e.g. 2026-04-08)",
        ValueKind::List => "a list in square brackets (e.g. [\"a\", \"b\"])",
        ValueKind::Table => "a table (a [heading] with `key = value` lines under it)",
        ValueKind::Entries => "entries, each starting with a [[heading]] line",
        ValueKind::Words => {
            "text in quotes, or one text per language (e.g. name.ja = \"…\" and name.en = \"…\")"
        }
    }
}

/// What a value of the wrong kind was most likely meant as, from how it was written:
/// a number in quotes, text without them, one `[table]` where entries take `[[…]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeSlip {
    QuotedNumber,
    UnquotedText,
    SingleBrackets,
}

fn type_slip(expected: ValueKind, written: Option<&str>) -> Option<TypeSlip> {
    let written = written.unwrap_or("").trim();
    let unquoted = written.trim_matches(['"', '\'']);
    match expected {
        ValueKind::Integer | ValueKind::Count
            if written.starts_with(['"', '\''])
                && !unquoted.is_empty()
                && unquoted.chars().all(|c| c.is_ascii_digit() || c == '-') =>
        {
            Some(TypeSlip::QuotedNumber)
        }
        ValueKind::Text | ValueKind::Words
            if !written.is_empty() && !written.starts_with(['"', '\'', '[', '{']) =>
        {
            Some(TypeSlip::UnquotedText)
        }
        ValueKind::Entries => Some(TypeSlip::SingleBrackets),
        _ => None,
    }
}

fn toml_hint_ja(hint: Option<TomlHint>) -> &'static str {
    match hint {
        Some(TomlHint::FullWidthSpace) => {
            "^ の位置に全角スペースがあります。半角スペースに直すか、消してください。"
        }
        Some(TomlHint::FullWidthEquals) => "「＝」が全角です。半角の「=」に直してください。",
        Some(TomlHint::UnquotedText) => {
            "文字の値は半角の \"...\" で囲んでください（例: title = \"家族会のお知らせ\"）。"
        }
        Some(TomlHint::LeadingZero) => {
            "電話番号や市町村コードのように 0 で始まる番号や、ハイフンの入った番号は、文字として半角の \"...\" で囲んでください（例: phone = \"022-123-4567\"）。"
        }
        Some(TomlHint::UnclosedQuote) => {
            "\" が閉じられていません。値の終わりに半角の \" を付けてください（全角の ” は使えません）。"
        }
        Some(TomlHint::MissingValue) => {
            "= の後に値を書いてください（文字なら \"...\" で囲みます）。値がないなら、この行を消してください。"
        }
        Some(TomlHint::KeyCharacters) => {
            "キー（= の左側）に使えるのは半角の英数字・ハイフン・アンダースコアだけです。空白や日本語が入っていないか確認してください。"
        }
        Some(TomlHint::NotKeyValue) => {
            "各行は「キー = 値」か [見出し] の形で書きます。= の書き忘れがないか確認してください。"
        }
        Some(TomlHint::UnclosedBracket) => {
            "かっこが閉じられていません。[ には ]、[[ には ]]、{ には } を付けてください。"
        }
        Some(TomlHint::MissingComma) => {
            "[ ] の中の値は、半角のカンマで区切ってください（例: [\"a\", \"b\"]）。"
        }
        None => "「キー = 値」の形になっているか、\" の閉じ忘れがないか確認してください。",
    }
}

fn toml_hint_en(hint: Option<TomlHint>) -> &'static str {
    match hint {
        Some(TomlHint::FullWidthSpace) => {
            "There is a full-width space at the ^; replace it with an ordinary space, or delete it."
        }
        Some(TomlHint::FullWidthEquals) => "The '＝' is full-width; use an ordinary '='.",
        Some(TomlHint::UnquotedText) => {
            "Put text values in straight quotes, e.g. title = \"Family meeting\"."
        }
        Some(TomlHint::LeadingZero) => {
            "Numbers that start with 0 or contain hyphens, such as phone numbers and municipality codes, are text: put them in straight quotes, e.g. phone = \"022-123-4567\"."
        }
        Some(TomlHint::UnclosedQuote) => {
            "A \" is not closed: end the value with a straight \" (a curly ” does not count)."
        }
        Some(TomlHint::MissingValue) => {
            "Write a value after the = (text goes in quotes), or delete the line if there is none."
        }
        Some(TomlHint::KeyCharacters) => {
            "A key (left of the =) may use only ASCII letters, digits, hyphens and underscores; check it for spaces or Japanese characters."
        }
        Some(TomlHint::NotKeyValue) => {
            "Each line is either `key = value` or a [heading]; check for a missing =."
        }
        Some(TomlHint::UnclosedBracket) => {
            "A bracket is not closed: [ needs ], [[ needs ]] and { needs }."
        }
        Some(TomlHint::MissingComma) => {
            "Separate the values inside [ ] with commas, e.g. [\"a\", \"b\"]."
        }
        None => "Check that the line reads `key = value` and that every \" is closed.",
    }
}

/// How to write a date, in Japanese: the day it seems to mean when that is known.
fn date_how_ja(key: &str, value: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(iso) => format!(
            "「{value}」は {iso} と書いてください（年-月-日、月と日は2桁）。例: {key} = {iso}"
        ),
        None if key.ends_with("year") => {
            format!("{key} には西暦の年を4桁の数で書いてください（例: {key} = 2014）。")
        }
        None => "2026-04-08 の形（年-月-日、月と日は2桁）で、実在する日付を書いてください。時刻を付けるときは 2026-04-08T09:30 の形です。".into(),
    }
}

fn date_how_en(key: &str, value: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(iso) => format!(
            "Write \"{value}\" as {iso} (year-month-day, two-digit month and day): {key} = {iso}"
        ),
        None if key.ends_with("year") => {
            format!("Give {key} as a four-digit year, e.g. {key} = 2014.")
        }
        None => "Write a real date as 2026-04-08 (year-month-day, two-digit month and day), or with a time as 2026-04-08T09:30.".into(),
    }
}

/// The shapes a phone number may have, for every phone-number message.
const PHONE_SHAPES_JA: &str = "半角または全角の数字とハイフンで、日本の電話番号の形に書いてください。固定電話は市外局番から10桁（例: 0229-23-0024）、携帯電話・IP電話は11桁（例: 090-1234-5678、050-1234-5678）、フリーダイヤルは 0120-123-456 か 0800-123-4567、ナビダイヤルは 0570-123-456、緊急通報は 110・118・119 です。";

const PHONE_SHAPES_EN: &str = "Write it with digits and hyphens in a Japanese shape: a fixed line has ten digits from its area code (0229-23-0024), a mobile or IP phone eleven (090-1234-5678, 050-1234-5678), free dial is 0120-123-456 or 0800-123-4567, navi dial 0570-123-456, and the emergency numbers are 110, 118 and 119.";

fn owner_ja(owner: &RouteOwner) -> String {
    match owner {
        RouteOwner::Page { source } => format!("ページ {}", source.display()),
        RouteOwner::ListPage { source, page } => {
            format!("{} の一覧の{page}ページ目", source.display())
        }
        RouteOwner::File { source } => format!("ファイル {}", source.display()),
        RouteOwner::Feed { source } => format!("{} のフィード", source.display()),
        RouteOwner::Generated { what } => format!("自動で作る {what}"),
    }
}

fn owner_en(owner: &RouteOwner) -> String {
    match owner {
        RouteOwner::Page { source } => format!("the page {}", source.display()),
        RouteOwner::ListPage { source, page } => {
            format!("page {page} of the list {}", source.display())
        }
        RouteOwner::File { source } => format!("the file {}", source.display()),
        RouteOwner::Feed { source } => format!("the feed of {}", source.display()),
        RouteOwner::Generated { what } => format!("the generated {what}"),
    }
}

fn as_of_ja(date: &AsOfDate) -> String {
    match date {
        AsOfDate::Date(d) => d.clone(),
        AsOfDate::Year(y) => format!("{y}年"),
        AsOfDate::FiscalYear(y) => format!("{y}年度"),
    }
}

fn as_of_en(date: &AsOfDate) -> String {
    match date {
        AsOfDate::Date(d) => d.clone(),
        AsOfDate::Year(y) => y.to_string(),
        AsOfDate::FiscalYear(y) => format!("fiscal year {y}"),
    }
}

/// `the fact` or `the 3 facts`.
fn facts_en(n: usize) -> String {
    if n == 1 {
        "the fact".to_owned()
    } else {
        format!("the {n} facts")
    }
}

/// The extensions a published file may have, as a message lists them.
fn publishable_extensions(theme: bool) -> String {
    let mut all = crate::file_kinds::download_extensions();
    if theme {
        all.push("css");
    }
    all.join(", ")
}

/// A character of a file name as a message shows it: a tab or line break by its code.
fn shown_character(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

fn unpublishable_ja(flaw: &NameFlaw, theme: bool) -> (String, String) {
    let kinds = format!(
        "公開できるのは、文書、画像、音声・動画、ZIP、データのファイルです（拡張子: {}）。",
        publishable_extensions(theme)
    );
    match flaw {
        NameFlaw::Extension(e) if theme => (format!("テーマの static フォルダーに「.{e}」のファイルは置けません"), format!("サイトが公開するのは、ブラウザーやサーバーが表示・保存するだけで、動かすことのない種類のファイルだけです。{kinds}テーマから削除してください。")),
        NameFlaw::Extension(e) => (format!("「.{e}」のファイルは公開できません"), format!("サイトが公開するのは、ブラウザーやサーバーが表示・保存するだけで、動かすことのない種類のファイルだけです。{kinds}PDF などにして置いてください。")),
        NameFlaw::NoExtension => ("ファイル名に拡張子がありません".into(), format!("種類がわかるよう、名前の最後に拡張子を付けてください（例: leaflet.pdf）。{kinds}")),
        NameFlaw::SeveralExtensions(e) => (format!("ファイル名に拡張子が2つ以上あります（.{e}）"), format!("サーバーはどの拡張子でもファイルの種類を決めるため、拡張子は最後の1つだけにして、名前の途中の「.」はハイフンにしてください（例: leaflet-2026.pdf）。{kinds}")),
        NameFlaw::TrailingDotOrSpace => ("ファイル名が「.」か空白で終わっています".into(), format!("Windows のサーバーはこれを取り除き、別の種類のファイルとして送ってしまいます。名前の最後は拡張子にしてください（例: leaflet.pdf）。{kinds}")),
        NameFlaw::Character(c) => (format!("ファイル名やフォルダー名に「{}」があります", shown_character(*c)), "この文字があると、リンクがファイルに届きません。ファイル名を、この文字を使わない名前に変えてください（例: leaflet-2026.pdf）。".into()),
    }
}

fn unpublishable_en(flaw: &NameFlaw, theme: bool) -> (String, String) {
    let kinds = format!(
        "Documents, images, audio and video, ZIP archives and data can be published (extensions: {}).",
        publishable_extensions(theme)
    );
    match flaw {
        NameFlaw::Extension(e) if theme => (format!("a .{e} file cannot be published from the theme's static folder"), format!("The site publishes only kinds of file that browsers and servers show or save, never run. {kinds} Remove it from the theme.")),
        NameFlaw::Extension(e) => (format!("a .{e} file cannot be published"), format!("The site publishes only kinds of file that browsers and servers show or save, never run. {kinds} Publish it as a PDF, say.")),
        NameFlaw::NoExtension => ("the file name has no extension".into(), format!("End the name with the extension of its kind (e.g. leaflet.pdf). {kinds}")),
        NameFlaw::SeveralExtensions(e) => (format!("the file name has more than one extension (.{e})"), format!("Servers take the kind of a file from any of its extensions: keep only the last one and write a hyphen for any other \".\" in the name (e.g. leaflet-2026.pdf). {kinds}")),
        NameFlaw::TrailingDotOrSpace => ("the file name ends in \".\" or a space".into(), format!("Windows servers drop it and send the file as another kind. End the name with its extension (e.g. leaflet.pdf). {kinds}")),
        NameFlaw::Character(c) => (format!("the file or folder name holds \"{}\"", shown_character(*c)), "With it, no link reaches the file. Rename the file without that character (e.g. leaflet-2026.pdf).".into()),
    }
}

fn base_url_flaw_ja(flaw: BaseUrlFlaw) -> &'static str {
    match flaw {
        BaseUrlFlaw::NotAUrl => "（http:// か https:// で始まる URL の形ではありません）",
        BaseUrlFlaw::Scheme => "（http でも https でもありません）",
        BaseUrlFlaw::Credentials => "（ユーザー名やパスワードが入っています）",
        BaseUrlFlaw::QueryOrFragment => "（? や # から後ろの部分があります）",
        BaseUrlFlaw::Backslash => "（バックスラッシュ「\\」があり、ブラウザーは「/」と読みます）",
        BaseUrlFlaw::EmptySegment => {
            "（「//」があり、サイトのリンクがすべて別のサイトを指してしまいます）"
        }
    }
}

fn base_url_flaw_en(flaw: BaseUrlFlaw) -> &'static str {
    match flaw {
        BaseUrlFlaw::NotAUrl => " (it is not a URL starting with http:// or https://)",
        BaseUrlFlaw::Scheme => " (it is neither http nor https)",
        BaseUrlFlaw::Credentials => " (it holds a user name or password)",
        BaseUrlFlaw::QueryOrFragment => " (it has a part starting with ? or #)",
        BaseUrlFlaw::Backslash => " (it holds a backslash \"\\\", which browsers read as \"/\")",
        BaseUrlFlaw::EmptySegment => {
            " (it holds \"//\", which would make every link of the site lead to another site)"
        }
    }
}

fn phone_reason_ja(reason: PhoneError) -> String {
    match reason {
        PhoneError::Empty => "（空です）".into(),
        PhoneError::Character(c) => format!("（「{c}」は使えません）"),
        PhoneError::Shape => "（桁数か区切り方が電話番号の形ではありません）".into(),
        PhoneError::NotAllocated => {
            "（日本で使われている番号ではありません。市外局番や桁を確かめてください）".into()
        }
    }
}

fn phone_reason_en(reason: PhoneError) -> String {
    match reason {
        PhoneError::Empty => " (it is empty)".into(),
        PhoneError::Character(c) => format!(" (\"{c}\" cannot be used)"),
        PhoneError::Shape => " (its digits or grouping do not match any Japanese number)".into(),
        PhoneError::NotAllocated => {
            " (no such number is in use in Japan: check the area code and the digits)".into()
        }
    }
}

/// What a download lacks and how to fix it, in Japanese.
fn download_finding_ja(finding: &DownloadFinding) -> (String, String) {
    const HTML_TOO: &str = "作り直せない場合は、同じ内容のページを用意し、publications.toml のこのファイルの項目に alternative = \"/そのページ/\" と書いてください（ファイルへのリンクの横に、そのページへのリンクが付きます）。";
    match finding {
        DownloadFinding::PdfUnreadable => ("PDF として読めません".into(), "ファイルが壊れていないか確かめ、作成したソフトで PDF に書き出し直してください。".into()),
        DownloadFinding::PdfLocked => ("PDF に、読み上げソフトが内容を読めない保護（パスワードや「内容の抽出」の禁止）がかかっています".into(), format!("保護をかけずに書き出し直してください。{HTML_TOO}")),
        DownloadFinding::PdfUntagged => ("PDF にタグがありません".into(), "作成したソフトで「タグ付き PDF」を選んで書き出し直すか、同じ内容の HTML ページを用意して、publications.toml のこのファイルの項目に alternative = \"/そのページ/\" と書いてください（タグがないと、見出し・表・読む順番が読み上げソフトに伝わりません）。".into()),
        DownloadFinding::PdfNoLanguage => ("PDF に文書の言語が設定されていません".into(), "作成したソフトの文書のプロパティで言語（日本語など）を設定して書き出し直してください（設定がないと読み上げの言語が合わないことがあります）。".into()),
        DownloadFinding::PdfNoTitle => ("PDF に文書のタイトルがありません".into(), "作成したソフトの文書のプロパティでタイトルを入れて書き出し直してください。".into()),
        DownloadFinding::PdfTitleNotShown => ("PDF を開いたとき、タイトルではなくファイル名が表示されます".into(), "書き出すときの設定で「文書のタイトルを表示」（DisplayDocTitle）を選んでください。".into()),
        DownloadFinding::PdfNoText => ("PDF に文字がありません（スキャンした画像だけの PDF です）".into(), format!("元の文書から PDF に書き出し直すか、文字認識（OCR）をかけてください。{HTML_TOO}")),
        DownloadFinding::PdfFiguresWithoutAlt { count } => (format!("PDF の図 {count} 個に代替テキストがありません"), "作成したソフトで図に代替テキスト（図の説明）を入れて、タグ付き PDF として書き出し直してください。".into()),
        DownloadFinding::OfficeUnreadable { format } => (format!("{format} ファイルとして読めません"), "ファイルが壊れていないか確かめ、作成したソフトで保存し直してください。".into()),
        DownloadFinding::OfficeNoTitle { format } => (format!("{format} ファイルにタイトルが設定されていません"), "作成したソフトの「ファイル」→「情報」（プロパティ）でタイトルを入れて保存し直してください。".into()),
        DownloadFinding::OfficeNoLanguage { format } => (format!("{format} ファイルに言語が設定されていません"), "作成したソフトの言語の設定（校正言語など）で日本語などを選んで保存し直してください。".into()),
    }
}

/// A time to show as the example for `opens` or `closes`.
fn example_time(key: &str) -> &'static str {
    if key == "closes" { "17:00" } else { "09:00" }
}

/// What a download lacks and how to fix it, in English.
fn download_finding_en(finding: &DownloadFinding) -> (String, String) {
    const HTML_TOO: &str =
        "If it cannot be made again, add an HTML page with the same information.";
    match finding {
        DownloadFinding::PdfUnreadable => ("cannot be read as a PDF".into(), "Check that the file is not damaged and export it to PDF again from the program that made it.".into()),
        DownloadFinding::PdfLocked => ("the PDF is protected so that screen readers cannot read it (a password, or content extraction denied)".into(), format!("Export it again without protection. {HTML_TOO}")),
        DownloadFinding::PdfUntagged => ("the PDF has no tags".into(), "Export it again as a tagged PDF from the program that made it, or make an HTML page with the same information and give it as alternative = \"/that-page/\" in the file's entry in publications.toml (without tags, a screen reader gets no headings, tables or reading order).".into()),
        DownloadFinding::PdfNoLanguage => ("the PDF does not say its language".into(), "Set the document's language (Japanese, English, …) in its properties and export it again, so that screen readers use the right voice.".into()),
        DownloadFinding::PdfNoTitle => ("the PDF has no title".into(), "Give the document a title in its properties and export it again.".into()),
        DownloadFinding::PdfTitleNotShown => ("the PDF shows its file name, not its title, when opened".into(), "Choose \"show document title\" (DisplayDocTitle) when exporting.".into()),
        DownloadFinding::PdfNoText => ("the PDF has no text (scanned pages only)".into(), format!("Export it again from the original document, or run text recognition (OCR) on it. {HTML_TOO}")),
        DownloadFinding::PdfFiguresWithoutAlt { count } => (format!("{count} figure(s) in the PDF have no alternative text"), "Give each figure alternative text (a description) in the program that made it, and export a tagged PDF again.".into()),
        DownloadFinding::OfficeUnreadable { format } => (format!("cannot be read as a {format} file"), "Check that the file is not damaged and save it again from the program that made it.".into()),
        DownloadFinding::OfficeNoTitle { format } => (format!("the {format} file has no title"), "Give it a title in File > Info (properties) and save it again.".into()),
        DownloadFinding::OfficeNoLanguage { format } => (format!("the {format} file does not say its language"), "Choose its language (proofing language) in the program that made it and save it again.".into()),
    }
}

fn japanese(problem: &Problem) -> (String, String) {
    use Problem::*;
    let (what, how): (String, String) = match problem {
        Unreadable { detail } => (format!("ファイルを読めません（{detail}）"), "ファイルが存在し、開ける状態か確認してください。".into()),
        NotUtf8 { saved_as: SavedAs::ShiftJis } => ("ファイルが Shift_JIS で保存されています".into(), "UTF-8 で保存し直してください（メモ帳なら「名前を付けて保存」→ 文字コード「UTF-8」）。".into()),
        NotUtf8 { saved_as: SavedAs::Utf16 } => ("ファイルが UTF-16（メモ帳の「Unicode」）で保存されています".into(), "UTF-8 で保存し直してください（メモ帳なら「名前を付けて保存」→ 文字コード「UTF-8」）。".into()),
        NotUtf8 { .. } => ("ファイルが UTF-8 ではありません".into(), "エディターで文字コード「UTF-8」を選んで保存し直してください。".into()),
        IgnoredFile => ("このファイルはサイトに使われません".into(), "ダウンロード用のファイルは content/files/ に置いてください。ページは .ja.md / .en.md で終わる名前にします。".into()),
        NoContentFolder { path } => (format!("content フォルダーがありません（{} を探しました）", path.display()), "content と themes のあるサイトのフォルダーに移動してから実行するか、--content でフォルダーの場所を指定してください（例: yorisoi check --content ../hikikomori-site/content）。".into()),
        MissingConfig => ("site.toml がありません".into(), "content/site.toml を作成してください（README の例を参照）。".into()),
        DefaultLanguageNotDeclared { lang } => (format!("default_language の「{lang}」が [languages] にありません"), format!("[languages.{lang}] を追加するか、default_language を直してください。")),
        InvalidLanguagePath { lang, path } => (format!("[languages.{lang}] の path「{path}」は、フォルダーの名前として使えません"), "ページを置くフォルダーの名前です。半角の小文字英数字とハイフンだけで書いてください（例: path = \"easy\"）。".into()),
        InvalidVariantOf { lang, of } => (format!("[languages.{lang}] の variant_of「{of}」は、[languages] にあるほかの言語ではありません"), "variant_of には、もとになる言語のコードを書きます（やさしい日本語なら variant_of = \"ja\"）。その言語も [languages] に書いてください。".into()),
        InvalidBaseUrl { value, flaw } => (format!("base_url「{value}」は公開先のアドレスとして使えません{}", base_url_flaw_ja(*flaw)), "https:// で始まる公開先のアドレスを、ホスト名とフォルダーだけで書いてください（例: https://example.jp/ や https://example.jp/centre/）。".into()),
        NoLanguageInFileName { suggestion } => ("ファイル名に言語がありません".into(), format!("「{suggestion}」のように、拡張子の前に言語（ja / en）を入れてください。")),
        UnknownLanguage { lang, declared } => (format!("ファイル名の言語「{lang}」は site.toml にありません"), format!("使える言語: {}。ファイル名を直すか、site.toml に言語を追加してください。", list(declared))),
        BadSlug { name, suggestion } => (
            format!("「{name}」は URL に使えない名前です"),
            match suggestion {
                Some(s) => format!("「{s}」のように、ファイル名とフォルダー名は半角の小文字英数字とハイフンにしてください（空白や _ はハイフンにします）。"),
                None => "ファイル名とフォルダー名は半角の小文字英数字とハイフンにしてください（例: family-meeting.ja.md）。日本語のページ名は、ファイルの中の title に書きます。".into(),
            },
        ),
        MissingFrontMatter => ("先頭に +++ で囲んだ設定（フロントマター）がありません".into(), "1行目に +++、次に title = \"ページ名\"、その次の行に +++ を書いてください。".into()),
        UnclosedFrontMatter => ("フロントマターの終わりの +++ がありません".into(), "設定の最後の行の次に +++ だけの行を入れてください。".into()),
        // The TOML reader's own words (`detail`) are English: never shown here.
        InvalidToml { key: Some(key), hint, .. } => (format!("「{key}」の行の書き方に誤りがあります"), toml_hint_ja(*hint).into()),
        InvalidToml { key: None, hint, .. } => ("この行の書き方に誤りがあります".into(), toml_hint_ja(*hint).into()),
        UnknownKey { key, allowed, closest } => (
            format!("「{key}」は使えないキーです"),
            match (closest, allowed.is_empty()) {
                (Some(c), _) => format!("「{c}」の書き間違いではありませんか？使えるキー: {}", list(allowed)),
                (None, false) => format!("使えるキー: {}", list(allowed)),
                (None, true) => "ここにはキーを書けません。この行を消してください。".into(),
            },
        ),
        MissingKey { key } if key == "source" || key.ends_with("_source") => (format!("「{key}」がありません"), format!("{key} = \"…\" を書き加えてください（必須です）。値は出典の id で、content/sources.toml の [[source]] の id = … に書かれたものです。")),
        MissingKey { key } => (format!("「{key}」がありません"), format!("{key} = … を書き加えてください（必須です）。書いたキーの名前に書き間違いがないかも確認してください。")),
        DuplicateKey { key } => (format!("「{key}」が2回書かれています"), "同じ項目の中で、同じキーは1回だけ書けます。どちらかを消してください（name と name.ja のように、言語ごとの書き方と重ねることもできません）。".into()),
        WrongType { key, expected, written } => (
            match written {
                Some(w) => format!("「{key}」の値 {w} は種類が違います"),
                None => format!("「{key}」の値の種類が違います"),
            },
            match type_slip(*expected, written.as_deref()) {
                Some(TypeSlip::QuotedNumber) => format!("{key} には {} を書きます。数は \" で囲まずに書いてください（例: {key} = {}）。", value_kind_ja(*expected), written.as_deref().unwrap_or("").trim_matches(['"', '\''])),
                Some(TypeSlip::UnquotedText) => format!("{key} には {} を書きます。文字は半角の \" で囲んでください（例: {key} = \"{}\"）。", value_kind_ja(*expected), written.as_deref().unwrap_or("")),
                Some(TypeSlip::SingleBrackets) => format!("[{key}] ではなく [[{key}]] と、角かっこを2つずつにして、項目ごとに書いてください。"),
                None => format!("{key} には {} を書いてください。", value_kind_ja(*expected)),
            },
        ),
        NotOneOf { key, value, allowed } => (format!("「{key}」の「{value}」は使えない値です"), format!("使える値: {}", list(allowed))),
        InvalidValue { key: Some(key), .. } => (format!("「{key}」の値を読み取れません"), "README の説明や、同じファイルのほかの項目と書き方を見比べてください。".into()),
        InvalidValue { key: None, .. } => ("値を読み取れません".into(), "README の説明や、同じファイルのほかの項目と書き方を見比べてください。".into()),
        MissingTitle => ("title（ページ名）がありません".into(), "フロントマターに title = \"ページ名\" を書いてください。".into()),
        EmptyTitle => ("title が空です".into(), "ページの内容がわかる名前を書いてください。".into()),
        InvalidDate { key, value, suggestion } => (format!("{key} の「{value}」は日付として読めません"), date_how_ja(key, value, suggestion.as_deref())),
        PlaceholderText { field } => (format!("{}が、yorisoi new が入れた仮の文のままです", match field.as_str() { "title" => "題名（title）", "description" => "説明（description）", _ => "本文" }), "この行を、ページの内容に書き換えてください。書き終えるまでは draft = true の行を残しておくと、公開されません。".into()),
        MissingDate => ("お知らせに date（掲載日）がありません".into(), "フロントマターに date = 2026-04-08 の形で掲載日を書いてください（時刻も付けるときは 2026-04-08T09:30）。".into()),
        ExpiresBeforeDate { date, expires } => (format!("expires（掲載終了日）{expires} が date（掲載日）{date} より前です"), "掲載を終える日を、掲載日と同じかそれより後の日付で書いてください。年の打ち間違いがないかも確認してください。".into()),
        TranslationDateDiffers { key, date, other_lang, other_date } => (format!("このお知らせの {key} は {date} ですが、{other_lang} 版では {other_date} です{}", if date == "-" || other_date == "-" { "（- は指定なし）" } else { "" }), format!("翻訳どうしで {key} をそろえてください。そろえないと、言語によって{}日が変わります。", if key == "expires" { "掲載を終える" } else { "公開される" })),
        UnknownTemplate { name, available } => (format!("テンプレート「{name}」がありません"), format!("使えるテンプレート: {}", list(available))),
        ImageWithoutAlt => ("画像に代替テキストがありません".into(), "![画像の内容を短く説明する文](ファイル名) のように、[ ] の中に画像の内容を書いてください。飾りだけの画像なら <img src=\"…\" alt=\"\"> と書きます。".into()),
        HeadingLevelOne => ("本文に大見出し（# 1つ）があります".into(), "ページの題名（title）が大見出しになります。本文の見出しは ## から始めてください。".into()),
        SkippedHeading { from, to } => (format!("見出しのレベルが {} から {} に飛んでいます", "#".repeat(*from), "#".repeat(*to)), format!("{} の次は {} 以下にしてください。見出しの順序は、画面読み上げソフトで目次として使われます。", "#".repeat(*from), "#".repeat(from + 1))),
        EmptyLink => ("リンクに文字がありません".into(), "[リンク先の内容](アドレス) のように、[ ] の中にリンク先がわかる言葉を書いてください。".into()),
        VagueLinkText { text } => (format!("リンクの文字「{text}」だけでは、どこへのリンクかわかりません"), "画面読み上げソフトはリンクだけを読み上げることがあります。「相談窓口の一覧」のように、リンク先の内容を書いてください。".into()),
        ScriptInContent => ("本文に <script> があります".into(), "このサイトは、読む人の安全のため、スクリプトを一切動かしません。<script> を削除してください。".into()),
        UnsafeUrl { url, scheme } => (format!("「{scheme}:」で始まるリンク（{url}）は使えません"), "読む人の安全のため、リンクに使えるのは https:、http:、mailto:、tel: と、サイト内の /… や ../… だけです。リンク先を書き直すか、削除してください。".into()),
        ExternalResource { url } => (format!("ほかのサイトから読み込む画像・動画・スタイル（{url}）は使えません"), "ページを開いただけで、読む人のことがそのサイトに伝わってしまうためです。ファイルを content/files/ に置き、/files/… で指定してください。リンク [文字](https://…) として書くのは構いません。".into()),
        ElementNotAllowed { name } => (format!("本文の HTML に <{name}> は使えません"), match name.as_str() {
            "h1" => "ページの題名が h1 になります。見出しは <h2> か Markdown の ## から始めてください。".into(),
            "iframe" | "object" | "embed" | "frame" | "frameset" | "applet" | "portal" => "ほかのサイトの内容を埋め込むと、読む人のことがそのサイトに伝わります。埋め込まずに、リンクにしてください。".into(),
            "form" | "input" | "button" | "select" | "textarea" => "このサイトでは入力フォームを扱いません。問い合わせ先をリンクや電話番号で示してください。".into(),
            _ => "読む人の安全と読みやすさのため、本文の HTML は見出し・段落・リスト・表・画像・リンクなどに限っています。Markdown で書くか、その要素を削除してください。".into(),
        }),
        AttributeNotAllowed { element, name } => (format!("<{element}> に {name} 属性は使えません"), "読む人の安全のため、HTML の属性は決まったものに限っています。その属性を削除してください。".into()),
        ScriptInStyle => ("style 属性に、スクリプトや外部読み込みにつながる書き方（expression、behavior、@import など）があります".into(), "その部分を削除してください。見た目はテーマの CSS で整えます。".into()),
        EasyJapanese { rule } => {
            use crate::easy_japanese::EasyRule::*;
            match rule {
                LongSentence { length, max } => (format!("やさしい日本語: 文が長すぎます（{length}字。目安は{max}字まで）"), "長い文は、最後まで読むのが大変です。2つ以上の文に分けてください。".into()),
                KanjiRun { run } => (format!("やさしい日本語: 漢字が6字以上続いています（{run}）"), "漢字が長く続くと読みにくくなります。ことばを分けるか、やさしいことばに言いかえてください。".into()),
                KatakanaRun { run } => (format!("やさしい日本語: カタカナが10字以上続いています（{run}）"), "長いカタカナのことばは、意味がわかりにくくなります。分けるか、言いかえてください。".into()),
                DoubleNegative { found } => (format!("やさしい日本語: 二重否定があります（{found}）"), "「〜ないわけではない」のような言い方は、意味をとりにくくなります。「〜できます」のように、そのまま言ってください。".into()),
                Honorific { found } => (format!("やさしい日本語: 尊敬語・謙譲語があります（{found}）"), "「いらっしゃる」「ご覧」「ございます」などは、「来ます」「見ます」「あります」のような、ふつうの丁寧な言い方にしてください。".into()),
                MixedEndings => ("やさしい日本語: 文の終わりが「です・ます」と「だ・である」でまざっています".into(), "1つのページの中では「です・ます」にそろえてください。".into()),
                EraYear { found } => (format!("やさしい日本語: 和暦が使われています（{found}）"), "和暦は日本以外から来た人にはわかりにくいので、2025年のように西暦で書いてください。".into()),
                TildeRange => ("やさしい日本語: 「〜」で範囲を書いています".into(), "「〜」は読み方がわかりにくいので、「午前9時から午後5時まで」のように「から」「まで」で書いてください。".into()),
                TimeWithoutHalf { found } => (format!("やさしい日本語: 午前か午後かがわからない時刻です（{found}）"), "「午前9時」「午後5時」のように、午前か午後かを付けて書いてください。".into()),
                KanjiWithoutReading { kanji } => (format!("やさしい日本語: 漢字に読み方（ふりがな）がありません（{kanji}）"), "{漢字|かんじ} のように、すべての漢字にふりがなを付けてください。".into()),
            }
        }
        MalformedRuby { problem } => (
            match problem {
                crate::ruby::RubyProblem::Unclosed => "ふりがなの { が } で閉じられていません".to_owned(),
                crate::ruby::RubyProblem::EmptyBase => "ふりがなを付ける文字が空です".to_owned(),
                crate::ruby::RubyProblem::EmptyReading => "ふりがなが空です".to_owned(),
                crate::ruby::RubyProblem::ReadingCount { characters, readings } => format!("1字ずつのふりがなの数（{readings}）が、文字の数（{characters}）と合いません"),
            },
            "ふりがなは {漢字|かんじ}（ことば全体に）か {漢字|かん|じ}（1字ずつ）と書きます。{ を文字として書くときは \\{ と書いてください。".into(),
        ),
        SvgNotWellFormed { detail } => (format!("SVG ファイルを XML として読めません（{detail}）"), "作成したソフトから、SVG として保存し直してください（DOCTYPE の宣言は使えません）。PNG にしても構いません。".into()),
        InaccessibleDownload { finding } => download_finding_ja(finding),
        DownloadNotLookedInto { reason: NotLookedInto::TooLarge { megabytes } } => (format!("{megabytes} MB と大きいため、読み上げソフトで使えるかどうか（タグ・言語・タイトル・文字）を確かめていません"), "作成したソフトのアクセシビリティチェック（Acrobat の「アクセシビリティチェック」など）で確かめてください。64 MB 以下に分けると、サイトを作るときに確かめます。".into()),
        DownloadNotLookedInto { reason: NotLookedInto::OldFormat { format, newer } } => (format!("古い {format} 形式のため、読み上げソフトで使えるかどうか（タイトル・言語）を確かめていません"), format!("作成したソフトで .{newer} 形式で保存し直し、リンクもそのファイルに変えてください。サイトを作るときにタイトルと言語を確かめます。")),
        UnknownCheck { id } => (format!("チェック「{id}」が、このファイルの [[check]] にありません"), "このファイルは試験のたびに node tests/browser/audit.mjs --record が書くものです。手で直さず、試験をもう一度行って書き直してください。".into()),
        UnknownCriterion { number } => (format!("「{number}」は JIS X 8341-3:2016 のレベルA・AAの達成基準の番号ではありません"), "達成基準の番号を 1.1.1 や 2.4.7 の形で書いてください（レベルA・AAの38項目のいずれか）。".into()),
        DuplicateJudgement { criterion } => (format!("達成基準 {criterion} の判定が2つあります"), "1つの達成基準につき [[judgement]] は1つにしてください。判定を改めたときは、古いほうを消して新しい日付で書いてください。".into()),
        JudgementContradicted { criterion, checks } => (format!("達成基準 {criterion} を人が判定していますが、自動チェック {} が失敗しています", list(checks)), "試験結果のページでは、この基準は「不適合」と表示します。失敗したページを直して試験をやり直すか、判定を result = \"not-met\" に改めてください。".into()),
        TestedPageGone { path } => (format!("試験結果に載っているページ {path} が、今のサイトにありません"), "ページを消した、またはアドレスを変えたときは、試験をやり直して試験結果を書き直してください（node tests/browser/audit.mjs --record）。".into()),
        TestResultsOld { tested } => (format!("アクセシビリティの試験結果は {tested} のもので、1年以上たっています"), "みんなの公共サイト運用ガイドラインは、年に1回以上の試験を求めています。試験をやり直して、試験結果を書き直してください。".into()),
        AlternativeNotAPage { dest } => (format!("alternative の {dest} はこのサイトのページではありません"), "ファイルと同じ内容を載せたページのアドレス（例: \"/services/\"）か、そのページのファイル（例: \"@/services/_index.md\"）を書いてください。".into()),
        SymlinkNotFollowed => ("シンボリックリンクは読み込みません".into(), "リンク先のファイルそのものを content フォルダーにコピーしてください（リンク先を公開してしまわないよう、たどらないようにしています）。".into()),
        ControlCharacter { code } => (
            match code {
                0x202A..=0x202E | 0x2066..=0x2069 => format!("文字の並ぶ向きを変える目に見えない制御文字（U+{code:04X}）があります"),
                0xFDD0..=0xFDEF => format!("文字として使えない符号（U+{code:04X}）があります"),
                c if c & 0xFFFE == 0xFFFE => format!("文字として使えない符号（U+{code:04X}）があります"),
                _ => format!("目に見えない制御文字（U+{code:04X}）があります"),
            },
            "コピー＆ペーストで紛れ込むことがあります。^ の位置の文字を削除してください（見た目には何もないように見えます）。".into(),
        ),
        InlineEventHandler { attribute } => (format!("本文の HTML に {attribute} 属性があります"), "JavaScript を使う属性は、キーボードや読み上げソフトで使えないことがあります。削除してください。".into()),
        LanguageMismatch { declared, looks } => (format!("ファイル名の言語は {declared} ですが、本文はほとんど{}で書かれています", match looks { Script::Japanese => "かなと漢字", Script::Latin => "ローマ字（英語など）" }), "ファイル名の .ja.md / .en.md と本文の言語を合わせてください。読み上げソフトはファイル名の言語で読み上げます。".into()),
        AvoidedTerm { found, preferred } => (format!("「{found}」は、このサイトの用語集（content/glossary.toml）で使わないことにした言い方です"), format!("「{preferred}」と書いてください。どのページでも同じ言葉で、ご本人に語りかけるように書くためです。")),
        UnknownReference { id, known } => (format!("「{id}」という id はありません"), format!("このファイルにある id: {}", list(known))),
        MissingFile { path } => (format!("ファイル {path} がありません"), "content/files/ にファイルを置くか、file の値をファイル名に合わせてください。".into()),
        DuplicateId { id } => (format!("id「{id}」が2回使われています"), "id は項目ごとに別の名前にしてください。".into()),
        InvalidText { field, reason: LocalizedError::UnknownLanguage(lang), .. } => (format!("{field} の言語「{lang}」は site.toml にありません"), format!("{field} = {{ ja = \"…\", en = \"…\" }} のように、site.toml の言語で書いてください。")),
        InvalidText { field, reason: LocalizedError::MissingDefault, default } => (format!("{field} に {default} の文がありません"), format!("ほかの言語の文がないときは {default} の文を表示するため、{default} は必ず書いてください（例: {field} = {{ {default} = \"…\" }}）。")),
        InvalidPhone { field, value, reason: PhoneError::NotAllocated } => (format!("{field} の「{value}」は電話番号として読めません{}", phone_reason_ja(PhoneError::NotAllocated)), "出典に書かれている番号と、1桁ずつ見比べてください。使われていない市外局番の番号は、どこにもつながりません。".into()),
        InvalidPhone { field, value, reason } => (format!("{field} の「{value}」は電話番号として読めません{}", phone_reason_ja(*reason)), PHONE_SHAPES_JA.into()),
        NotAnEmergencyNumber { value } => (format!("「{value}」は緊急通報の番号ではありません"), "[[emergency]] には 110・118・119 だけを書きます。ほかの番号は [[helpline]] に書いてください。".into()),
        NoConsultationLine => ("相談窓口の電話番号（site.toml の [contact]）がないため、どのページにも相談電話を表示していません".into(), "相談を受け付ける電話番号があれば、site.toml に [contact] を作り、phone と受付時間 hours を、出典（sources.toml の id）とともに書いてください。すべてのページの上部に表示されます。".into()),
        MissingConsultationPhone => ("相談電話の番号（[contact] の phone）がありません".into(), "相談電話はすべてのページに表示するため必須です。site.toml の [contact] に phone = \"0229-23-0024\" の形で、出典（phone_source）とともに書いてください。".into()),
        UnknownMunicipalityCode { code } => (format!("市町村コード「{code}」は宮城県の市町村のコードではありません"), "総務省の全国地方公共団体コードで、その市町村の5桁（検査数字を除く）を確かめてください。6桁目の検査数字は、サイトを作るときに計算します。".into()),
        MunicipalityCodeNamesAnother { code, listed, written } => (format!("市町村コード「{code}」は{listed}のコードで、「{written}」のものではありません"), "コードか名前（name.ja）の打ち間違いを直してください。名前は総務省の一覧と同じ書き方にします。".into()),
        InvalidMunicipalityCode { code } => (format!("市町村コード「{code}」は5桁の数字ではありません"), "総務省の全国地方公共団体コードの、検査数字を除いた5桁を書いてください（例: 04203）。".into()),
        SizeTooLarge { kb } => (format!("size_kb の {kb} はファイルの大きさとして大きすぎます"), "掲載ページに書かれている大きさを KB の数字で書いてください（例: size_kb = 1409）。".into()),
        UnknownSource { id, known, closest } => (format!("出典「{id}」が sources.toml にありません"), match closest {
            Some(closest) => format!("「{closest}」の書き間違いではありませんか？出典の id は、content/sources.toml の [[source]] の id = … に書かれたものです。"),
            None if known.is_empty() => "content/sources.toml に [[source]] として出典を書き、その id を指定してください。".into(),
            None => format!("出典の id は、content/sources.toml の [[source]] の id = … に書かれたものです。sources.toml にある出典: {}", list(known)),
        }),
        MissingSource { field } => (format!("{field} に出典がありません"), format!("出典のない情報は載せられません。{field}_source（または項目全体の source）に sources.toml の出典の id を書いてください。")),
        SeveralSourceDates => ("出典に種類の違う日付がいくつも書かれています".into(), "published（掲載日）・updated（更新日）、year（資料の年）、fiscal_year（年度）のうち、出典に書かれている1種類だけを書いてください。".into()),
        DateNeedsDay { key } => (format!("{key} には日まで書いてください"), format!("{key} = 2026-12-01 の形で、年・月・日を書いてください。")),
        UnknownWeekday { value } => (format!("「{value}」は曜日の名前ではありません"), "days には \"月曜日\"、\"火曜日\"、…（または \"monday\"、\"tuesday\"、…）を書いてください。".into()),
        RepeatedWeekday { value } => (format!("曜日「{value}」が2回書かれています"), "days には同じ曜日を1回だけ書いてください。".into()),
        InvalidClockTime { key, value } => (format!("{key} の「{value}」は時刻として読めません"), format!("{key} = \"{}\" のように、24時間制の時と分を2桁ずつ書いてください。", example_time(key))),
        ClosesNotAfterOpens { opens, closes } => (format!("終わりの時刻 {closes} が始まりの時刻 {opens} より後ではありません"), "closes には、opens より後の時刻を書いてください（夜中をまたぐ受付時間は書けません）。".into()),
        OpeningHoursNotInWords { opens, closes, words } => (format!("[contact.opening_hours] の時刻 {opens}～{closes} が、受付時間の文章にありません（{}）", words.iter().map(|(lang, text)| format!("hours.{lang}「{text}」")).collect::<Vec<_>>().join("、")), "どちらかだけを変えていませんか？出典のとおりに、hours と [contact.opening_hours] の両方を同じ時間にしてください（文章では 9時・午後5時・9:00 のように書くと読み取れます）。".into()),
        OpeningHoursWithoutWords => ("[contact.opening_hours] があるのに、受付時間の文章 hours がありません".into(), "検索エンジン向けの曜日と時刻は、ページに載る hours と同じ内容にします。hours を書くか、[contact.opening_hours] を削除してください。".into()),
        VerifiedNeedsDay => ("verified には日まで書いてください".into(), "verified は、担当者が出典の最新のページと見比べて確認した日です。2026-04-08 の形で書いてください。確認していなければ書きません。".into()),
        VerifiedInFuture { id } => (format!("出典「{id}」の verified（確認日）が今日より後です"), "実際に確認した日を書いてください。".into()),
        UnusedSource { id } => (format!("出典「{id}」はどの情報にも使われていません"), "不要なら sources.toml から削除してください。".into()),
        ExpiresSoon { date, days } => (
            match days {
                0 => format!("このお知らせは今日（{date}）で掲載終了です"),
                d => format!("このお知らせはあと {d} 日（{date}）で掲載終了です"),
            },
            "続ける場合は expires の日付を延ばしてください。終わってよい場合は、そのままで構いません（終了後はトップページとフィードから外れ、ページは残ります）。".into(),
        ),
        CreditedSourceNotListed { id, title } => (
            format!("本文が出典「{title}」を挙げていますが、front matter の sources にありません"),
            format!("本文がこの出典によるなら、sources に \"{id}\" を加えてください。ページの「このページの出典」に日付とともに載ります。"),
        ),
        EasyNumberNotInStandard { number, standard } => (
            format!("やさしい日本語のページの「{number}」は、もとのページ（{standard}）にない数です"),
            "やさしい日本語のページは、もとのページと同じ事実を伝えます。もとのページにある数（年齢・数・時刻・日付）に合わせて直してください。午後5時は17時と同じ数として扱います。".into(),
        ),
        PhoneInText { written } => (
            format!("本文に電話番号「{written}」が書かれています"),
            "電話番号は、出典とともにデータファイル（site.toml の [contact]、directory.toml、helplines.toml）に書き、ページにはそこから表示します。本文からは消してください。ほかの窓口の番号なら、その窓口を出典つきでデータファイルに加えてください。".into(),
        ),
        PublishedBeforeSource { date, id, source_date } => (
            format!("date（掲載日）の {date} は、本文が拠る出典「{id}」の日付（{source_date}）より前です"),
            "date は、このサイトがこのページを載せた日です。お知らせの出来事の日（開設日など）は event_date に書き、date にはこのサイトに載せた日を書いてください。".into(),
        ),
        PhoneRoleInText { words } => (
            format!("本文の{}は、電話番号の用途や受付の範囲を決めています", words.iter().map(|w| format!("「{w}」")).collect::<String>()),
            "番号の用途（何の電話か）は、出典にある言葉で、データ（site.toml の phone_label・inquiry_label、helplines.toml の name）にだけ書けます。出典にない用途や「以外」「専用」などの限定は、本文から除いてください。".into(),
        ),
        AvailabilityInText { words } => (
            format!("本文の「{words}」は、いつ電話がつながるかを、データにない形で述べています"),
            "いつ電話できるかは、helplines.toml の open と hours（出典つき）からページに自動で表示されます。本文からこの言い方を除いてください。".into(),
        ),
        UnlinkedFile { url } => (
            format!("{url} はどのページからもリンクされていません"),
            "必要なファイルなら、ページ本文か publications.toml からリンクしてください。古い版など不要なファイルなら、content/files/ から削除してください。".into(),
        ),
        PlaceholderBaseUrl { url } => (
            format!("公開先アドレス base_url が例のアドレス（{url}）のままです"),
            "site.toml の base_url を、サイトを公開する実際のアドレスに直してください。フィード・サイトマップ・各ページの正規 URL に使われます。".into(),
        ),
        StaleSource { id, holds_at, facts } => (format!("出典「{id}」の情報（{facts} 件）は {} 時点のもので、1年以上たっています", as_of_ja(holds_at)), "最新の出典（いまのページや、その窓口そのもの）で内容を確かめ、変わっていれば直してください。担当者が確かめた日を sources.toml の verified に書くと、この知らせは消えます。".into()),
        UndatedSource { id, facts } => (format!("出典「{id}」には日付がなく、その情報（{facts} 件）がいつの時点のものかわかりません"), "出典のページで掲載日・更新日を確かめて published か updated に書くか、最新のページと見比べて確認した日を verified に書いてください。".into()),
        RouteClash { path, first, second } => (format!("{}と{}が、同じファイル {path} に書き出されます", owner_ja(second), owner_ja(first)), "どちらかのファイル名を変えるか、不要な方を削除してください。片方がもう片方を黙って上書きしないよう、書き出しを止めています。".into()),
        DuplicateUrl { url, other } => (format!("このページと {} が同じアドレス {url} になります", other.display()), "どちらかのファイル名を変えるか、不要な方を削除してください。".into()),
        BrokenLink { target, suggestion } => (
            format!("リンク先「{target}」が見つかりません"),
            match suggestion {
                Some(s) => format!("「{s}」の間違いではありませんか？ページ名を変えた場合はリンクも直してください。"),
                None => "リンク先のページやファイルが存在するか確認してください。ページへは /access/ や @/access.ja.md の形でリンクできます。".into(),
            },
        ),
        LinkToDraft { target } => (format!("リンク先「{target}」は下書きか公開前のページです"), "リンク先を公開するか、公開されるまでリンクを外してください。".into()),
        PartialVariant { name, pages, of } => (format!("{name}のページは {of} ページのうち {pages} ページです"), format!("{name}のないページでは、言語の切り替えから{name}のトップページに移ります。必要なページから順に {name} 版を作ってください。")),
        TranslationIsDraft { lang, file } => (format!("{lang} 版の {} はまだ下書きです", file.display()), format!("{} の draft = true の行を消すと公開されます。公開するまで、言語切り替えはその言語のトップページを案内します。", file.display())),
        MissingTranslation { lang, expected } => (format!("{lang} の翻訳がありません"), format!("{} を作成してください。作成するまで、言語切り替えはその言語のトップページを案内します。", expected.display())),
        ThemeFileByName { path } => (format!("テンプレートがテーマのファイル {path} を元の名前で読み込んでいます"), format!("公開するファイルの名前には内容に応じた記号が付く（{path} → 名前-＜記号＞.拡張子）ため、この書き方では読み込めません。{{{{ site.base_path }}}}{{{{ site.assets[\"{path}\"] }}}} と書いてください。")),
        MissingThemeFile { path } => (format!("テーマのファイル {} がありません", path.display()), "themes/ フォルダーを元に戻すか、site.toml の theme を確認してください。".into()),
        Template { detail } => (format!("テンプレートでエラーが起きました（{detail}）"), "テーマを変更した場合は、その変更を確認してください。".into()),
        FeedFailed { detail } => (format!("フィードを作れませんでした（{detail}）"), "お知らせの題名や本文に、制御文字など XML で使えない文字がないか確認してください。".into()),
        MissingUiString { lang, key, fallback } => (format!("表示用の文言「{key}」が {lang} にありません"), format!("{fallback} の文言を代わりに表示します。テーマの i18n/{lang}.toml に {key} を追加してください。")),
        UnknownSetting { key, value, allowed } => (format!("{key} の「{value}」は使えない値です"), format!("使える値: {}。それまでは決まった書き方で表示します。", list(allowed))),
        OutputNotOurs { output } => (format!("{} は yorisoi が作ったフォルダーではありません", output.display()), "中のファイルを消さないよう中止しました。空のフォルダーか、別の出力先（--output）を指定してください。".into()),
        OutputContainsContent { output } => (format!("出力先 {} は content フォルダーか、それを含むフォルダーです", output.display()), "原稿を消さないよう中止しました。出力先には public など別のフォルダーを指定してください。".into()),
        OutputInsideContent { output } => (format!("出力先 {} が content フォルダーの中にあります", output.display()), "content の外のフォルダー（例: public）を指定してください。".into()),
        OutputContainsTheme { output, theme } => (format!("出力先 {} の中にテーマのフォルダー {} があります", output.display(), theme.display()), "テーマを消さないよう中止しました。出力先には public など、content と themes の外のフォルダーを指定してください。".into()),
        OutputInsideTheme { output, theme } => (format!("出力先 {} がテーマのフォルダー {} の中にあります", output.display(), theme.display()), "テーマの中に書き出すと、次の build でそれがテーマのファイルとして公開されてしまいます。themes の外のフォルダー（例: public）を指定してください。".into()),
        WriteFailed { path, detail } => (format!("{} に書き込めません（{detail}）", path.display()), "空き容量と書き込み権限を確認してください。前回の出力はそのまま残っています。".into()),
        ServerPathUnsafe { path } => (format!("公開先のパス {path} には、サーバーの設定ファイル（.htaccess など）にそのまま書けない文字があります"), "site.toml の base_url のパスを、半角の英字・数字・ハイフン・ピリオド・スラッシュだけにしてください。".into()),
        NotBuilt { folder } => (format!("{} は yorisoi build が書き出したフォルダーではありません", folder.display()), "先に yorisoi build を実行し、その出力フォルダーを --output で指定してください。".into()),
        PublishNotOurs { folder } => (format!("{} は yorisoi publish が公開したフォルダーではありません", folder.display()), "中のファイルを置き換えたり消したりしないよう中止しました。空のフォルダーか、以前 yorisoi publish で公開したフォルダーを指定してください。".into()),
        PublishOverlaps { from, to } => (format!("公開先 {} が出力フォルダー {} と重なっています", to.display(), from.display()), "出力フォルダーの外にある、別のフォルダーを公開先にしてください。".into()),
        PublishFailed { path, detail } => (format!("{} に書き込めません（{detail}）", path.display()), "空き容量と書き込み権限を確認して、もう一度 yorisoi publish を実行してください。公開済みのページは、必要なファイルがそろったまま残っています。".into()),
        PreviousOutputLeft { path, detail } => (format!("新しいサイトは書き出しましたが、前のサイトの写し {} を消せませんでした（{detail}）", path.display()), "公開用フォルダーはすでに新しい内容です。残った写しは次の build で消します。消えないときは、ほかのプログラムがそのフォルダーを開いていないか確認してください。".into()),
        RobotsNotWritten { base_url } => {
            // `https://example.jp/support/` → `https://example.jp`, where crawlers look.
            let host = base_url.split('/').take(3).collect::<Vec<_>>().join("/");
            (
                format!("公開先 {base_url} はサーバーの最上位ではないため、robots.txt は書き出していません"),
                format!("検索エンジンが読む robots.txt は {host}/robots.txt だけです。サイトマップ {base_url}sitemap.xml は、検索エンジンの管理画面（Google Search Console など）で登録するか、サーバーの管理者に {host}/robots.txt へ「Sitemap: {base_url}sitemap.xml」の行を加えてもらってください。"),
            )
        }
        AlreadyExists => ("このファイルはすでにあります".into(), "上書きしないよう、何も作らずに中止しました。そのファイルを編集するか、別の名前を指定してください。".into()),
        InvalidThemeName { name } => (format!("theme「{name}」は themes フォルダーの中のフォルダーの名前ではありません"), "themes/ の中にあるテーマのフォルダーの名前だけを書いてください（例: theme = \"default\"）。「/」「\\」「..」や、ほかの場所を指す書き方は使えません。".into()),
        InvalidLanguageCode { code } => (format!("言語コード「{code}」は BCP 47 の言語タグではありません"), "半角英数字とハイフンで、ja、en、zh-Hant、pt-BR のように書いてください。空白、「\"」「?」「#」などは使えません。やさしい日本語のような書き方の違いは ja-easy と書き、variant_of = \"ja\" を添えます。".into()),
        UnpublishableFile { flaw, theme } => unpublishable_ja(flaw, *theme),
        HeadingAttributeNotAllowed { name } => (format!("見出しの {{…}} に「{name}」は書けません"), "見出しの {…} に書けるのは、#id（リンク先の名前）と .class（見た目の種類）だけです。そのほかの属性は、読む人の安全のため削除してください。".into()),
        OpenerLink => ("リンクの rel に opener があります".into(), "opener を付けると、リンク先のページがこのページを別のページに差し替えられます。rel から opener を削除してください（ほかのサイトへのリンクには、自動で noopener noreferrer が付きます）。".into()),
        SvgProcessingInstruction { target } => (format!("SVG ファイルに処理命令 <?{target} …?> があります"), "その行を削除してください。処理命令は、確認されていないスタイルシートや変換（XSL）を読み込ませることができます。見た目は SVG の中の属性や <style> で整えてください。".into()),
        StyleCustomPropertyValue { name } => (format!("CSS のカスタムプロパティ {name} に、文字列か url() が入っています"), "その宣言を削除してください。カスタムプロパティの値は、使う場所で読み込み先のアドレスになることがあるため、文字列や url() は入れられません。色や大きさなどの値だけにしてください。".into()),
        UnfinishedRawHtml => ("HTML が、タグ・属性の値・コメントの途中で終わっています".into(), "タグは > で、属性の値は閉じる引用符（\"）で、コメントは --> で閉じてください。閉じないままだと、ブラウザーは次の段落までを同じタグとして読みます。".into()),
        HostWrittenAsPath { url } => (format!("リンク {url} は、サイト内のページのように見えますが、ブラウザーでは別のサイトへのリンクになります"), "「//」「/\\」「\\\\」で始まるアドレスは、その先をブラウザーがサイト名として読みます。https: の後に // のないアドレスも、ページの開き方によっては同じです。別のサイトへのリンクなら https:// から始まる完全なアドレスで、このサイトのページなら /access/ のように / 一つで始まるパスで書いてください。".into()),
        UrlInCssVariable => ("CSS の変数（--名前）に文字列や URL が入っているか、画像を読み込む関数の中で var() を使っています".into(), "変数を通すと、どこから読み込むかを確かめられないためです。URL は url(/files/…) のように、使う場所に直接書いてください。".into()),
        OutputRefused { output, line, refusal, copied, others } => {
            let at = line.map(|l| format!("（{l}行目）")).unwrap_or_default();
            let also = if *others > 0 { format!("。ほかの {others} 個のファイルにも同じものがあります") } else { String::new() };
            let from = if *copied {
                "このファイルはそのまま公開されるファイル（content/files/ かテーマの static/）です。そのファイルから削除してください。"
            } else {
                "このファイルはページの原稿（本文やタイトルなど）とテーマのテンプレートから作られます。原稿か、テーマのテンプレート（templates/）の該当する箇所から削除してください。"
            };
            (
                format!("公開しようとしたファイル {output}{at}に、{}{also}", output_refusal_ja(refusal)),
                format!("読む人を守るため、公開する前にすべてのファイルを確かめ、サイトの決まりに合わないものがあれば何も公開しません。{from}"),
            )
        }
    };
    (what, how)
}

fn english(problem: &Problem) -> (String, String) {
    use Problem::*;
    let (what, how): (String, String) = match problem {
        Unreadable { detail } => (format!("cannot read the file ({detail})"), "Check that the file exists and can be opened.".into()),
        NotUtf8 { saved_as: SavedAs::ShiftJis } => ("the file is saved as Shift_JIS".into(), "Save it again as UTF-8 (in Notepad: Save As → Encoding: UTF-8).".into()),
        NotUtf8 { saved_as: SavedAs::Utf16 } => ("the file is saved as UTF-16 (Notepad's \"Unicode\")".into(), "Save it again as UTF-8 (in Notepad: Save As → Encoding: UTF-8).".into()),
        NotUtf8 { .. } => ("the file is not UTF-8".into(), "Save it again with the encoding UTF-8.".into()),
        IgnoredFile => ("this file is not used by the site".into(), "Put downloads in content/files/; page names end in .ja.md or .en.md.".into()),
        NoContentFolder { path } => (format!("there is no content folder here (looked for {})", path.display()), "Run the command from the site's folder (the one holding content and themes), or give the folder with --content DIR (e.g. yorisoi check --content ../hikikomori-site/content).".into()),
        MissingConfig => ("site.toml is missing".into(), "Create content/site.toml (see the README for an example).".into()),
        DefaultLanguageNotDeclared { lang } => (format!("default_language \"{lang}\" is not in [languages]"), format!("Add [languages.{lang}] or correct default_language.")),
        InvalidLanguagePath { lang, path } => (format!("path \"{path}\" of [languages.{lang}] cannot be a folder name"), "It names the folder the language's pages go in: use lower-case ASCII letters, digits and hyphens only (e.g. path = \"easy\").".into()),
        InvalidVariantOf { lang, of } => (format!("variant_of \"{of}\" of [languages.{lang}] is not another language in [languages]"), "Give the code of the language it is a way of writing (for やさしい日本語, variant_of = \"ja\"), declared in [languages] too.".into()),
        InvalidBaseUrl { value, flaw } => (format!("base_url \"{value}\" cannot be the site's address{}", base_url_flaw_en(*flaw)), "Give the published address as https://, the host name and any folders only (e.g. https://example.jp/ or https://example.jp/centre/).".into()),
        NoLanguageInFileName { suggestion } => ("the file name has no language".into(), format!("Put the language before the extension, as in \"{suggestion}\".")),
        UnknownLanguage { lang, declared } => (format!("language \"{lang}\" in the file name is not declared in site.toml"), format!("Declared languages: {}. Rename the file or add the language to site.toml.", list(declared))),
        BadSlug { name, suggestion } => (
            format!("\"{name}\" cannot be used in a URL"),
            match suggestion {
                Some(s) => format!("Name it \"{s}\": file and folder names use lower-case ASCII letters, digits and hyphens (a space or _ becomes a hyphen)."),
                None => "Use lower-case ASCII letters, digits and hyphens in file and folder names (e.g. family-meeting.en.md). A page's Japanese name goes in its title.".into(),
            },
        ),
        MissingFrontMatter => ("the front matter between +++ lines is missing".into(), "Start the file with a +++ line, then title = \"Page name\", then another +++ line.".into()),
        UnclosedFrontMatter => ("the closing +++ of the front matter is missing".into(), "Add a line with only +++ after the last setting.".into()),
        // The TOML reader's own words never reach staff, in either language: the hint
        // (or, without one, what to look for) says what to do.
        InvalidToml { key, hint, .. } => (
            match key {
                Some(key) => format!("the line of \"{key}\" is not valid TOML"),
                None => "this line is not valid TOML".to_owned(),
            },
            toml_hint_en(*hint).into(),
        ),
        UnknownKey { key, allowed, closest } => (
            format!("\"{key}\" is not an allowed key"),
            match (closest, allowed.is_empty()) {
                (Some(c), _) => format!("Did you mean \"{c}\"? Allowed keys: {}", list(allowed)),
                (None, false) => format!("Allowed keys: {}", list(allowed)),
                (None, true) => "No key can go here: delete the line.".into(),
            },
        ),
        MissingKey { key } if key == "source" || key.ends_with("_source") => (format!("\"{key}\" is missing"), format!("Add {key} = \"…\" (it is required): its value is the id of a source, the id = … of a [[source]] in content/sources.toml.")),
        MissingKey { key } => (format!("\"{key}\" is missing"), format!("Add {key} = … (it is required), or check the spelling of the keys written.")),
        DuplicateKey { key } => (format!("\"{key}\" is written twice"), "A key can be given once per entry: delete one of them (name and name.ja together give name twice).".into()),
        WrongType { key, expected, written } => (
            match written {
                Some(w) => format!("the value {w} of \"{key}\" has the wrong type"),
                None => format!("the value of \"{key}\" has the wrong type"),
            },
            match type_slip(*expected, written.as_deref()) {
                Some(TypeSlip::QuotedNumber) => format!("{key} takes {}: write numbers without quotes, e.g. {key} = {}.", value_kind_en(*expected), written.as_deref().unwrap_or("").trim_matches(['"', '\''])),
                Some(TypeSlip::UnquotedText) => format!("{key} takes {}: put text in straight quotes, e.g. {key} = \"{}\".", value_kind_en(*expected), written.as_deref().unwrap_or("")),
                Some(TypeSlip::SingleBrackets) => format!("Write [[{key}]], with double brackets, at the start of each entry instead of [{key}]."),
                None => format!("{key} takes {}.", value_kind_en(*expected)),
            },
        ),
        NotOneOf { key, value, allowed } => (format!("\"{value}\" is not a value \"{key}\" takes"), format!("Use one of: {}", list(allowed))),
        InvalidValue { key } => (
            match key {
                Some(key) => format!("the value of \"{key}\" cannot be read"),
                None => "a value cannot be read".to_owned(),
            },
            "Compare it with the README and with the other entries of the file.".into(),
        ),
        MissingTitle => ("the page has no title".into(), "Add title = \"Page name\" to the front matter.".into()),
        EmptyTitle => ("the title is empty".into(), "Give the page a title that says what it is about.".into()),
        InvalidDate { key, value, suggestion } => (format!("{key} \"{value}\" is not a date"), date_how_en(key, value, suggestion.as_deref())),
        PlaceholderText { field } => (format!("the {} is still the placeholder that yorisoi new wrote", match field.as_str() { "title" => "title", "description" => "description", _ => "text" }), "Replace this line with the page's own words. Until it is ready, keep the line draft = true so that it is not published.".into()),
        MissingDate => ("the announcement has no date".into(), "Add its publication date to the front matter as date = 2026-04-08 (with a time: 2026-04-08T09:30).".into()),
        ExpiresBeforeDate { date, expires } => (format!("expires {expires} is before date {date}"), "Give the last day of the announcement, on or after its date. Check the year for a typing slip.".into()),
        TranslationDateDiffers { key, date, other_lang, other_date } => (format!("this announcement has {key} {date}, but its {other_lang} version has {other_date}{}", if date == "-" || other_date == "-" { " (- means not given)" } else { "" }), format!("Give every translation the same {key}, or they are {} on different days.", if key == "expires" { "withdrawn" } else { "published" })),
        UnknownTemplate { name, available } => (format!("there is no template \"{name}\""), format!("Available templates: {}", list(available))),
        ImageWithoutAlt => ("the image has no alternative text".into(), "Describe the image inside the brackets: ![what the image shows](file). For a purely decorative image write <img src=\"…\" alt=\"\">.".into()),
        HeadingLevelOne => ("the text has a top-level heading (#)".into(), "The page title is the top-level heading. Start headings in the text at ##.".into()),
        SkippedHeading { from, to } => (format!("the heading level jumps from {} to {}", "#".repeat(*from), "#".repeat(*to)), format!("After {} use {} or fewer: screen readers use the headings as a table of contents.", "#".repeat(*from), "#".repeat(from + 1))),
        EmptyLink => ("the link has no text".into(), "Write what the link leads to inside the brackets: [list of consultation desks](address).".into()),
        VagueLinkText { text } => (format!("the link text \"{text}\" does not say where it leads"), "Screen readers can list links on their own. Say what is there, e.g. \"list of consultation desks\".".into()),
        ScriptInContent => ("the text contains <script>".into(), "To keep readers safe the site runs no script at all. Remove the <script>.".into()),
        UnsafeUrl { url, scheme } => (format!("a link starting \"{scheme}:\" ({url}) is not allowed"), "To keep readers safe, links may use only https:, http:, mailto: and tel:, or stay on the site (/… or ../…). Rewrite or remove the link.".into()),
        ExternalResource { url } => (format!("an image, video or style loaded from another site ({url}) is not allowed"), "Merely opening the page would tell that site about the reader. Put the file in content/files/ and refer to it as /files/…. A link [text](https://…) to the other site is fine.".into()),
        ElementNotAllowed { name } => (format!("<{name}> may not be used in the text's HTML"), match name.as_str() {
            "h1" => "The page title is the h1. Start headings at <h2>, or ## in Markdown.".into(),
            "iframe" | "object" | "embed" | "frame" | "frameset" | "applet" | "portal" => "Embedding another site's content tells it about the reader. Link to it instead.".into(),
            "form" | "input" | "button" | "select" | "textarea" => "The site has no forms. Give the contact as a link or a phone number.".into(),
            _ => "To keep readers safe and pages readable, HTML in the text is limited to headings, paragraphs, lists, tables, images, links and the like. Write it in Markdown or remove the element.".into(),
        }),
        AttributeNotAllowed { element, name } => (format!("<{element}> may not have a {name} attribute"), "To keep readers safe, HTML attributes are limited to a known set. Remove the attribute.".into()),
        ScriptInStyle => ("a style attribute uses something that runs script or loads other files (expression, behavior, @import)".into(), "Remove it; the theme's CSS takes care of how pages look.".into()),
        EasyJapanese { rule } => {
            use crate::easy_japanese::EasyRule::*;
            match rule {
                LongSentence { length, max } => (format!("easy Japanese: a sentence of {length} characters (the limit is {max})"), "Long sentences are hard to follow to the end. Split it into two or more.".into()),
                KanjiRun { run } => (format!("easy Japanese: six or more kanji in a row ({run})"), "Long runs of kanji are hard to read. Split the word or use a simpler one.".into()),
                KatakanaRun { run } => (format!("easy Japanese: ten or more katakana in a row ({run})"), "Long katakana words are hard to understand. Split or replace it.".into()),
                DoubleNegative { found } => (format!("easy Japanese: a double negative ({found})"), "Double negatives are hard to follow. Say it directly (〜できます).".into()),
                Honorific { found } => (format!("easy Japanese: an honorific or humble form ({found})"), "Use plain polite forms instead (来ます, 見ます, あります).".into()),
                MixedEndings => ("easy Japanese: sentences end both in です・ます and in だ・である".into(), "Use です・ます throughout the page.".into()),
                EraYear { found } => (format!("easy Japanese: a year in the Japanese era ({found})"), "Era years are hard for readers from abroad. Write the Western year (2025年).".into()),
                TildeRange => ("easy Japanese: a range written with 〜".into(), "The 〜 is hard to read aloud. Write から … まで: 午前9時から午後5時まで.".into()),
                TimeWithoutHalf { found } => (format!("easy Japanese: a time without 午前 or 午後 ({found})"), "Say which half of the day: 午前9時, 午後5時.".into()),
                KanjiWithoutReading { kanji } => (format!("easy Japanese: kanji without a reading ({kanji})"), "Give every kanji its furigana: {漢字|かんじ}.".into()),
            }
        }
        MalformedRuby { problem } => (
            match problem {
                crate::ruby::RubyProblem::Unclosed => "a furigana { is not closed with }".to_owned(),
                crate::ruby::RubyProblem::EmptyBase => "the text a furigana reading belongs to is empty".to_owned(),
                crate::ruby::RubyProblem::EmptyReading => "a furigana reading is empty".to_owned(),
                crate::ruby::RubyProblem::ReadingCount { characters, readings } => format!("{readings} readings given one per character, for {characters} characters"),
            },
            "Write furigana as {漢字|かんじ} (for the whole word) or {漢字|かん|じ} (one reading per character). To write a { as text, write \\{.".into(),
        ),
        SvgNotWellFormed { detail } => (format!("the SVG file cannot be read as XML ({detail})"), "Save it again as SVG from the program that made it (a DOCTYPE declaration is not allowed), or publish it as PNG.".into()),
        InaccessibleDownload { finding } => download_finding_en(finding),
        DownloadNotLookedInto { reason: NotLookedInto::TooLarge { megabytes } } => (format!("at {megabytes} MB, not looked inside: whether screen readers can use it (tags, language, title, text) is not checked"), "Check it with the accessibility checker of the program that made it (such as Acrobat's). Split into files of 64 MB or less, the build checks them.".into()),
        DownloadNotLookedInto { reason: NotLookedInto::OldFormat { format, newer } } => (format!("an old {format} file, not looked inside: whether screen readers can use it (title, language) is not checked"), format!("Save it again as .{newer} in the program that made it, and link to that file; the build then checks its title and language.")),
        UnknownCheck { id } => (format!("the check \"{id}\" is not among this file's [[check]] entries"), "This file is written by node tests/browser/audit.mjs --record at each test. Do not edit it: run the test again to write it afresh.".into()),
        UnknownCriterion { number } => (format!("\"{number}\" is not the number of a level A or AA success criterion of JIS X 8341-3:2016"), "Write a criterion's number as 1.1.1 or 2.4.7 (one of the 38 at levels A and AA).".into()),
        DuplicateJudgement { criterion } => (format!("success criterion {criterion} is judged twice"), "Keep one [[judgement]] per criterion. To change a judgement, remove the old one and write the new one with its date.".into()),
        JudgementContradicted { criterion, checks } => (format!("success criterion {criterion} is judged by a person, but the machine check {} failed", list(checks)), "The test-results page shows this criterion as not met. Fix the failing pages and test again, or change the judgement to result = \"not-met\".".into()),
        TestedPageGone { path } => (format!("the test results list the page {path}, which the site no longer has"), "When a page is removed or moved, test again and record the results afresh (node tests/browser/audit.mjs --record).".into()),
        TestResultsOld { tested } => (format!("the accessibility test results are from {tested}, more than a year ago"), "The guideline for public websites asks for a test at least once a year. Test again and record the results afresh.".into()),
        AlternativeNotAPage { dest } => (format!("the alternative {dest} is not a page of this site"), "Give the address of the page with the same content as the file (e.g. \"/services/\") or its source file (e.g. \"@/services/_index.md\").".into()),
        SymlinkNotFollowed => ("a symbolic link is not read".into(), "Copy the file itself into the content folder (links are not followed, so that nothing outside it is published by mistake).".into()),
        ControlCharacter { code } => (
            match code {
                0x202A..=0x202E | 0x2066..=0x2069 => format!("an invisible character that reorders the text around it (U+{code:04X})"),
                0xFDD0..=0xFDEF => format!("a code point that is not a character (U+{code:04X})"),
                c if c & 0xFFFE == 0xFFFE => format!("a code point that is not a character (U+{code:04X})"),
                _ => format!("an invisible control character (U+{code:04X})"),
            },
            "It often comes in with copy and paste. Delete the character at the ^ (it looks like nothing).".into(),
        ),
        InlineEventHandler { attribute } => (format!("the HTML in the text has a {attribute} attribute"), "Attributes that run JavaScript often cannot be used by keyboard or screen reader. Remove it.".into()),
        LanguageMismatch { declared, looks } => (format!("the file name says {declared}, but the text is mostly {}", match looks { Script::Japanese => "kana and kanji", Script::Latin => "Latin letters" }), "Match .ja.md / .en.md to the language of the text: screen readers read it in the file name's language.".into()),
        AvoidedTerm { found, preferred } => (format!("\"{found}\" is a wording the site's glossary (content/glossary.toml) avoids"), format!("Write \"{preferred}\": every page uses the same words, and speaks to people rather than about them.")),
        UnknownReference { id, known } => (format!("there is no entry with id \"{id}\""), format!("ids in this file: {}", list(known))),
        MissingFile { path } => (format!("the file {path} does not exist"), "Put the file in content/files/ or correct the value of `file`.".into()),
        DuplicateId { id } => (format!("the id \"{id}\" is used twice"), "Give each entry its own id.".into()),
        InvalidText { field, reason: LocalizedError::UnknownLanguage(lang), .. } => (format!("{field} has text in \"{lang}\", which site.toml does not declare"), format!("Write it in the site's languages, as {field} = {{ ja = \"…\", en = \"…\" }}.")),
        InvalidText { field, reason: LocalizedError::MissingDefault, default } => (format!("{field} has no {default} text"), format!("Every other language falls back to {default}, so it is required: {field} = {{ {default} = \"…\" }}.")),
        InvalidPhone { field, value, reason: PhoneError::NotAllocated } => (format!("{field} \"{value}\" is not a phone number{}", phone_reason_en(PhoneError::NotAllocated)), "Compare it digit by digit with the number in its source: a number under an area code that is not in use reaches nobody.".into()),
        InvalidPhone { field, value, reason } => (format!("{field} \"{value}\" is not a phone number{}", phone_reason_en(*reason)), PHONE_SHAPES_EN.into()),
        NotAnEmergencyNumber { value } => (format!("\"{value}\" is not an emergency number"), "[[emergency]] takes only 110, 118 and 119; put other numbers under [[helpline]].".into()),
        NoConsultationLine => ("site.toml has no [contact] table, so no page shows a consultation line".into(), "If people can call you for advice, add a [contact] table to site.toml with phone and hours, each with its source (an id in sources.toml). Every page shows it at the top.".into()),
        MissingConsultationPhone => ("the consultation number (phone in [contact]) is missing".into(), "Every page shows it, so it is required. Add phone = \"0229-23-0024\" to [contact] in site.toml, with its source (phone_source).".into()),
        UnknownMunicipalityCode { code } => (format!("the municipality code \"{code}\" is not one of Miyagi's municipalities"), "Check the municipality's five-digit local government code (without its check digit) in the Ministry of Internal Affairs and Communications' list. The sixth, check digit is computed when the site is built.".into()),
        MunicipalityCodeNamesAnother { code, listed, written } => (format!("the municipality code \"{code}\" is {listed}'s, not \"{written}\"'s"), "Correct the code or the name (name.ja); write the name as the Ministry's list does.".into()),
        InvalidMunicipalityCode { code } => (format!("the municipality code \"{code}\" is not five digits"), "Give the five-digit local government code without its check digit (e.g. 04203).".into()),
        SizeTooLarge { kb } => (format!("size_kb {kb} is too large for a file"), "Give the size in KB as the page offering the file states it (e.g. size_kb = 1409).".into()),
        UnknownSource { id, known, closest } => (format!("the source \"{id}\" is not in sources.toml"), match closest {
            Some(closest) => format!("Did you mean \"{closest}\"? A source's id is the id = … of its [[source]] in content/sources.toml."),
            None if known.is_empty() => "Add the source to content/sources.toml as a [[source]] and give its id.".into(),
            None => format!("A source's id is the id = … of its [[source]] in content/sources.toml. Sources there: {}", list(known)),
        }),
        MissingSource { field } => (format!("{field} has no source"), format!("Nothing is published without a source: give the id of a source in sources.toml as {field}_source (or as source for the whole entry).")),
        SeveralSourceDates => ("the source gives several kinds of date".into(), "Give only the one the source itself has: published and/or updated (a page's dates), year (a document's year) or fiscal_year.".into()),
        DateNeedsDay { key } => (format!("{key} needs a day"), format!("Write it as {key} = 2026-12-01, with the year, month and day.")),
        UnknownWeekday { value } => (format!("\"{value}\" is not a day of the week"), "Write the days as \"monday\", \"tuesday\", … (or \"月曜日\", \"火曜日\", …).".into()),
        RepeatedWeekday { value } => (format!("the day \"{value}\" is given twice"), "Give each day once in days.".into()),
        InvalidClockTime { key, value } => (format!("\"{value}\" in {key} is not a time of day"), format!("Write it as {key} = \"{}\": the hour and minutes, two digits each, on the 24-hour clock.", example_time(key))),
        ClosesNotAfterOpens { opens, closes } => (format!("the closing time {closes} is not after the opening time {opens}"), "Give closes a time after opens (hours that run past midnight cannot be given).".into()),
        OpeningHoursNotInWords { opens, closes, words } => (format!("the times {opens} to {closes} of [contact.opening_hours] are not in the hours in words ({})", words.iter().map(|(lang, text)| format!("hours.{lang} \"{text}\"")).collect::<Vec<_>>().join(", ")), "Was one changed without the other? Make hours and [contact.opening_hours] give the same times, as the source does (the words are read for times written like 9:00, 5:00 pm, 9時 or 午後5時).".into()),
        OpeningHoursWithoutWords => ("[contact.opening_hours] is given but the hours in words (hours) are not".into(), "The days and times for search engines say what the page shows in hours: add hours, or remove [contact.opening_hours].".into()),
        VerifiedNeedsDay => ("verified needs a day".into(), "verified is the day a person compared the facts with the live source; write it as 2026-04-08, and leave it out if nobody has.".into()),
        VerifiedInFuture { id } => (format!("the source \"{id}\" is verified on a day after today"), "Give the day the source was actually checked.".into()),
        UnusedSource { id } => (format!("no fact uses the source \"{id}\""), "Remove it from sources.toml if it is not needed.".into()),
        ExpiresSoon { date, days } => (
            match days {
                0 => format!("this announcement ends today ({date})"),
                1 => format!("this announcement ends tomorrow ({date})"),
                d => format!("this announcement ends in {d} days ({date})"),
            },
            "To keep it up, move its expires date later. If it may end, leave it: afterwards it leaves the home page and the feed, and its page stays.".into(),
        ),
        CreditedSourceNotListed { id, title } => (
            format!("the text names the source 「{title}」, which the front matter's sources does not"),
            format!("If the text relies on it, add \"{id}\" to sources; the page then lists it, with its date, under its sources."),
        ),
        EasyNumberNotInStandard { number, standard } => (
            format!("the easy-Japanese page states \"{number}\", a number its standard page ({standard}) does not"),
            "An easy-Japanese page tells the same facts as its standard page. Make its numbers (ages, counts, times, dates) those of the standard page; 午後5時 counts as 17時.".into(),
        ),
        PhoneInText { written } => (
            format!("the text has the phone number \"{written}\" typed into it"),
            "Phone numbers are kept in the data files with their sources (the [contact] table of site.toml, directory.toml, helplines.toml), and pages show them from there: take it out of the text. If it is another desk's number, add that desk to a data file with its source.".into(),
        ),
        PublishedBeforeSource { date, id, source_date } => (
            format!("the date {date} (when this site published the page) is before the date of the source \"{id}\" ({source_date}) its text relies on"),
            "date is the day this site published the page. Give the day of what an announcement tells of (an opening, say) as event_date, and the day it was published here as date.".into(),
        ),
        PhoneRoleInText { words } => (
            format!("the text gives a phone number a use or a limit: {}", words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")),
            "What a number is for may be said only in the data, in its source's words (phone_label and inquiry_label in site.toml, name in helplines.toml). Take uses and limits no source gives (\"other than\", \"only for\") out of the text.".into(),
        ),
        AvailabilityInText { words } => (
            format!("the text's \"{words}\" says when lines can be called in a way no data backs"),
            "When each line can be called is shown on the page from open and hours in helplines.toml, with their sources. Take this wording out of the text.".into(),
        ),
        UnlinkedFile { url } => (
            format!("nothing links to {url}"),
            "If the file is needed, link to it from a page or from publications.toml. If it is an old version or not needed, delete it from content/files/.".into(),
        ),
        PlaceholderBaseUrl { url } => (
            format!("base_url is still an example address ({url})"),
            "Set base_url in site.toml to the address the site is published at: feeds, the sitemap and every page's canonical link use it.".into(),
        ),
        StaleSource { id, holds_at, facts } => (format!("{} from the source \"{id}\" hold as of {}, over a year ago", facts_en(*facts), as_of_en(holds_at)), "Check them against a current source (the live page, or the office itself) and correct what changed; once a person has done so, give that day as verified in sources.toml to clear this notice.".into()),
        UndatedSource { id, facts } => (format!("the source \"{id}\" has no date, so nobody can tell how current {}", if *facts == 1 { "its one fact is".to_owned() } else { format!("its {facts} facts are") }), "Find the page's date and give it as published or updated, or compare the facts with the live source and give that day as verified.".into()),
        RouteClash { path, first, second } => (format!("{} and {} would both be written to {path}", owner_en(second), owner_en(first)), "Rename one of the files or remove the one not needed; nothing is written until then, so that neither silently replaces the other.".into()),
        DuplicateUrl { url, other } => (format!("this page and {} both produce {url}", other.display()), "Rename one of the files or remove the one not needed.".into()),
        BrokenLink { target, suggestion } => (
            format!("the link target \"{target}\" does not exist"),
            match suggestion {
                Some(s) => format!("Did you mean \"{s}\"? If a page was renamed, update its links too."),
                None => "Check that the page or file exists. Link to pages as /access/ or @/access.en.md.".into(),
            },
        ),
        LinkToDraft { target } => (format!("the link target \"{target}\" is a draft or not yet published"), "Publish the target, or remove the link until it is published.".into()),
        PartialVariant { name, pages, of } => (format!("{name} has {pages} of the site's {of} pages"), format!("On the others, the language switcher leads to the {name} home page. Add {name} versions of the pages people need most first.")),
        TranslationIsDraft { lang, file } => (format!("the {lang} version, {}, is still a draft", file.display()), format!("Delete the line draft = true in {} to publish it. Until then the language switcher leads to that language's home page.", file.display())),
        MissingTranslation { lang, expected } => (format!("there is no {lang} translation"), format!("Create {}. Until then the language switcher leads to that language's home page.", expected.display())),
        ThemeFileByName { path } => (format!("a template loads the theme file {path} by its name in the theme"), format!("Theme files are published under names carrying a hash of their content ({path} becomes name-<hash>.ext), so this leads nowhere. Write {{{{ site.base_path }}}}{{{{ site.assets[\"{path}\"] }}}}.")),
        MissingThemeFile { path } => (format!("the theme file {} is missing", path.display()), "Restore the themes/ folder or check `theme` in site.toml.".into()),
        Template { detail } => (format!("a template failed ({detail})"), "If the theme was changed, check that change.".into()),
        FeedFailed { detail } => (format!("the feed could not be written ({detail})"), "Check the announcements' titles and text for control characters, which XML cannot hold.".into()),
        MissingUiString { lang, key, fallback } => (format!("the interface text \"{key}\" is missing for {lang}"), format!("The {fallback} text is shown instead. Add {key} to the theme's i18n/{lang}.toml.")),
        UnknownSetting { key, value, allowed } => (format!("{key} \"{value}\" is not a known value"), format!("Use one of: {}. Until then the default is used.", list(allowed))),
        OutputNotOurs { output } => (format!("{} was not made by yorisoi", output.display()), "Stopped so that nothing in it is deleted. Choose an empty folder or another --output.".into()),
        OutputContainsContent { output } => (format!("the output folder {} is the content folder or holds it", output.display()), "Stopped so that no source is deleted. Choose a separate output folder such as public.".into()),
        OutputInsideContent { output } => (format!("the output folder {} is inside the content folder", output.display()), "Choose a folder outside content, such as public.".into()),
        OutputContainsTheme { output, theme } => (format!("the output folder {} holds the theme folder {}", output.display(), theme.display()), "Stopped so that the theme is not deleted. Choose an output folder outside content and themes, such as public.".into()),
        OutputInsideTheme { output, theme } => (format!("the output folder {} is inside the theme folder {}", output.display(), theme.display()), "Written there, the next build would publish it again as files of the theme. Choose a folder outside themes, such as public.".into()),
        WriteFailed { path, detail } => (format!("cannot write {} ({detail})", path.display()), "Check free space and permissions. The previous output is untouched.".into()),
        ServerPathUnsafe { path } => (format!("the site's path {path} holds characters that cannot be written safely into a server's settings (.htaccess and the like)"), "Use only letters, digits, hyphens, dots and slashes in the path of base_url in site.toml.".into()),
        NotBuilt { folder } => (format!("{} is not a folder yorisoi build wrote", folder.display()), "Run yorisoi build first, and give its output folder with --output.".into()),
        PublishNotOurs { folder } => (format!("{} was not published by yorisoi", folder.display()), "Stopped so that nothing in it is replaced or deleted. Choose an empty folder, or one yorisoi publish published before.".into()),
        PublishOverlaps { from, to } => (format!("the destination {} overlaps the output folder {}", to.display(), from.display()), "Publish to another folder, outside the output folder.".into()),
        PublishFailed { path, detail } => (format!("cannot write {} ({detail})", path.display()), "Check free space and permissions, then run yorisoi publish again. The pages already published still have every file they need.".into()),
        PreviousOutputLeft { path, detail } => (format!("the new site is in place, but the previous copy {} could not be removed ({detail})", path.display()), "The output folder already holds the new site; the next build removes the copy left beside it. If it stays, check that no other program has that folder open.".into()),
        RobotsNotWritten { base_url } => {
            // `https://example.jp/support/` → `https://example.jp`, where crawlers look.
            let host = base_url.split('/').take(3).collect::<Vec<_>>().join("/");
            (
                format!("robots.txt was not written: the site address {base_url} is not the root of its host"),
                format!("Search engines read only {host}/robots.txt. Submit the sitemap {base_url}sitemap.xml in their webmaster tools (such as Google Search Console), or ask whoever runs {host} to add the line \"Sitemap: {base_url}sitemap.xml\" to {host}/robots.txt."),
            )
        }
        AlreadyExists => ("this file already exists".into(), "Nothing was created, so that nothing is overwritten. Edit that file, or choose another name.".into()),
        InvalidThemeName { name } => (format!("theme \"{name}\" is not the name of a folder in the themes folder"), "Give only the name of a theme's folder inside themes/ (e.g. theme = \"default\"); \"/\", \"\\\", \"..\" and paths to anywhere else cannot be used.".into()),
        InvalidLanguageCode { code } => (format!("the language code \"{code}\" is not a BCP 47 language tag"), "Write it in ASCII letters, digits and hyphens, like ja, en, zh-Hant or pt-BR; spaces, \"\\\"\", \"?\", \"#\" and the like cannot be used. A way of writing another language, such as Easy Japanese, is written ja-easy with variant_of = \"ja\".".into()),
        UnpublishableFile { flaw, theme } => unpublishable_en(flaw, *theme),
        HeadingAttributeNotAllowed { name } => (format!("a heading's {{…}} cannot hold \"{name}\""), "A heading's {…} may hold only #id (a name to link to) and .class (a kind of look). To keep readers safe, remove any other attribute.".into()),
        OpenerLink => ("a link's rel has opener".into(), "With opener, the page the link opens can replace this page with another one. Remove opener from the rel (links to other sites get noopener noreferrer by themselves).".into()),
        SvgProcessingInstruction { target } => (format!("the SVG file has a processing instruction <?{target} …?>"), "Delete that line: a processing instruction can load a style sheet or an XSL transform nobody has checked. Style the drawing with its own attributes or a <style> element.".into()),
        StyleCustomPropertyValue { name } => (format!("the CSS custom property {name} holds a string or a url()"), "Remove that declaration: where a custom property is used, its value can become an address to load, so it may not hold a string or a url(). Keep to values such as colours and sizes.".into()),
        UnfinishedRawHtml => ("the HTML ends inside a tag, an attribute's value or a comment".into(), "Close the tag with >, the attribute's value with its closing quote (\"), or the comment with -->. Left open, the browser reads what follows, up to the next paragraph, as part of it.".into()),
        HostWrittenAsPath { url } => (format!("the link {url} looks like a page of this site, but a browser reads it as a link to another site"), "A browser reads what follows \"//\", \"/\\\" or \"\\\\\" as the name of a site, and so, on some pages, what follows an https: without //. Write a link to another site as its full address starting https://, and a page of this site as a path starting with a single /, such as /access/.".into()),
        UrlInCssVariable => ("a CSS custom property (--name) holds a string or URL, or var() is used inside a function that loads an image".into(), "Through a variable, where the file comes from cannot be checked. Write the URL where it is used, as url(/files/…).".into()),
        OutputRefused { output, line, refusal, copied, others } => {
            let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
            let also = match others {
                0 => String::new(),
                1 => "; one other file has the same".into(),
                n => format!("; {n} other files have the same"),
            };
            let from = if *copied {
                "The file is published as it is (from content/files/ or the theme's static/): remove it from that file."
            } else {
                "The file is made from pages (their text, titles and other settings) and the theme's templates: remove it where it is written there, in a page or in the theme's templates (templates/)."
            };
            (
                format!("the file to be published {output}{at} {}{also}", output_refusal_en(refusal)),
                format!("To keep readers safe, every file is checked before publishing, and nothing is published while one breaks the site's rules. {from}"),
            )
        }
    };
    (what, how)
}

/// What the output verifier refused, as the end of a Japanese sentence.
fn output_refusal_ja(refusal: &OutputRefusal) -> String {
    match refusal {
        OutputRefusal::FileKind => "公開できない種類の名前が付いています（拡張子がない・二つある・末尾が点や空白・.php など）".into(),
        OutputRefusal::NotUtf8 => "UTF-8 でない文字があります".into(),
        OutputRefusal::NotWellFormed { detail } => format!("XML として読めない箇所があります（{detail}）"),
        OutputRefusal::Element { name } => format!("使えない要素 <{name}> があります"),
        OutputRefusal::Attribute { element, name } => format!("<{element}> に使えない属性 {name} があります"),
        OutputRefusal::EventHandler { name } => format!("スクリプトを動かす属性 {name} があります"),
        OutputRefusal::InlineScript => "ページの中に書かれたスクリプト（src のない <script>）があります".into(),
        OutputRefusal::ForeignScript => "サイト内検索のスクリプトではないスクリプトのファイルです（スクリプトは yorisoi のものしか公開しません）".into(),
        OutputRefusal::SearchIndex => "サイト内検索の索引として読めないか、サイトの外を指すページの場所があります".into(),
        OutputRefusal::OpenData => "オープンデータとして読めません（CSV の行ごとに項目の数が違う、または JSON が文字の項目の並びではありません）".into(),
        OutputRefusal::StructuredData => "検索エンジン向けのデータ（<script type=\"application/ld+json\">）が JSON として読めないか、< を含んでいます".into(),
        OutputRefusal::SpreadsheetFormula => "表計算ソフトが式として実行する値（=、+、-、@ で始まる値）があります。データファイルのその値の書き方を確かめてください".into(),
        OutputRefusal::CompressedCopy => "圧縮したコピーを展開しても元のファイルと同じになりません".into(),
        OutputRefusal::Scheme { url, scheme } => format!("{scheme}: の URL（{url}）があります"),
        OutputRefusal::OtherHost { url } => format!("ほかのサイトから読み込むもの（{url}）があります"),
        OutputRefusal::LinkElsewhere { url } => format!("このサイトの外を指すリンク（{url}）があります"),
        OutputRefusal::ScriptInStyle => "CSS にスクリプトや外部読み込みにつながる書き方（expression、behavior、@import など）があります".into(),
        OutputRefusal::UrlInVariable => "CSS の変数（--名前）に文字列や URL が入っているか、読み込む関数の中で var() を使っています".into(),
        OutputRefusal::ProcessingInstruction { target } => format!("処理命令 <?{target} …?> があります"),
        OutputRefusal::Character { code } => format!("表示をだましたり読めなくしたりする文字 U+{code:04X} があります"),
        OutputRefusal::Opener => "rel=\"opener\" のリンクがあります".into(),
        OutputRefusal::HttpEquiv { value } => format!("<meta http-equiv=\"{value}\"> があります"),
        OutputRefusal::LinkRel { rel } => format!("<link rel=\"{rel}\"> があります"),
        OutputRefusal::PolicyMissing { policy } => format!("{}がありません。テーマの base.html の <head> の初め（<meta charset> のすぐ後）に {}を書いてください", policy_meta_ja(*policy), policy_meta_template(*policy)),
        OutputRefusal::PolicyDiffers { policy, value } => format!("{}の値が、サイトの決まり（src/browser_policy.rs）と違います（{value}）。テーマの base.html では、値を書き写さずに {}を書いてください", policy_meta_ja(*policy), policy_meta_template(*policy)),
        OutputRefusal::PolicyRepeated { policy } => format!("{}が二つ以上あります。テーマのテンプレートで一つにし、base.html の <head> の初めに {}を書いてください", policy_meta_ja(*policy), policy_meta_template(*policy)),
        OutputRefusal::PolicyLate { policy } => format!("{}が <head> の外か、ファイルを読み込む要素（<link> や <script> など）の後にあります。ブラウザーはその前に読み込んだものには決まりを当てません。テーマの base.html の <head> の初め（<meta charset> のすぐ後）に {}を書いてください", policy_meta_ja(*policy), policy_meta_template(*policy)),
    }
}

/// What the output verifier refused, as the end of an English sentence.
fn output_refusal_en(refusal: &OutputRefusal) -> String {
    match refusal {
        OutputRefusal::FileKind => "has a name the site does not publish (no extension, two, a trailing dot or space, .php and the like)".into(),
        OutputRefusal::NotUtf8 => "is not UTF-8".into(),
        OutputRefusal::NotWellFormed { detail } => format!("cannot be read as XML ({detail})"),
        OutputRefusal::Element { name } => format!("contains the element <{name}>, which is not allowed"),
        OutputRefusal::Attribute { element, name } => format!("gives <{element}> the attribute {name}, which is not allowed"),
        OutputRefusal::EventHandler { name } => format!("contains the attribute {name}, which runs script"),
        OutputRefusal::InlineScript => "contains script written in the page (a <script> without src)".into(),
        OutputRefusal::ForeignScript => "is a script other than the site search's own (only yorisoi's script is published)".into(),
        OutputRefusal::SearchIndex => "cannot be read as the site search's index, or gives a page's address off the site".into(),
        OutputRefusal::OpenData => "cannot be read as the open data it is meant to be (CSV rows of different lengths, or JSON that is not rows of text)".into(),
        OutputRefusal::StructuredData => "holds data for search engines (<script type=\"application/ld+json\">) that is not JSON, or holds a <".into(),
        OutputRefusal::SpreadsheetFormula => "holds a value a spreadsheet would run as a formula (one starting with =, +, - or @); check how that value is written in the data file".into(),
        OutputRefusal::CompressedCopy => "is a compressed copy that does not decode to the file it copies".into(),
        OutputRefusal::Scheme { url, scheme } => format!("contains a {scheme}: URL ({url})"),
        OutputRefusal::OtherHost { url } => format!("loads something from another site ({url})"),
        OutputRefusal::LinkElsewhere { url } => format!("has a link that leads off the site ({url})"),
        OutputRefusal::ScriptInStyle => "has CSS that runs script or loads other files (expression, behavior, @import)".into(),
        OutputRefusal::UrlInVariable => "has a CSS custom property (--name) holding a string or URL, or var() inside a function that loads".into(),
        OutputRefusal::ProcessingInstruction { target } => format!("contains the processing instruction <?{target} …?>"),
        OutputRefusal::Character { code } => format!("contains the character U+{code:04X}, which disguises text or breaks readers"),
        OutputRefusal::Opener => "has a link with rel=\"opener\"".into(),
        OutputRefusal::HttpEquiv { value } => format!("contains <meta http-equiv=\"{value}\">"),
        OutputRefusal::LinkRel { rel } => format!("contains <link rel=\"{rel}\">"),
        OutputRefusal::PolicyMissing { policy } => format!("has no {} — the theme's base template must write {} at the start of <head>, right after <meta charset>", policy_meta_en(*policy), policy_meta_template(*policy)),
        OutputRefusal::PolicyDiffers { policy, value } => format!("has a {} that differs from the site's policy in src/browser_policy.rs ({value}) — the theme's base template must write {} rather than a copy of the value", policy_meta_en(*policy), policy_meta_template(*policy)),
        OutputRefusal::PolicyRepeated { policy } => format!("has more than one {} — the theme's templates must write it once, as {} in the base template's <head>", policy_meta_en(*policy), policy_meta_template(*policy)),
        OutputRefusal::PolicyLate { policy } => format!("has its {} outside <head> or after an element that loads a file (<link>, <script> and the like), and the browser does not apply it to what came before — the theme's base template must write {} at the start of <head>, right after <meta charset>", policy_meta_en(*policy), policy_meta_template(*policy)),
    }
}

/// The policy `<meta>` a page must carry, as a Japanese message names it.
fn policy_meta_ja(policy: BrowserPolicy) -> &'static str {
    match policy {
        BrowserPolicy::ContentSecurity => {
            "コンテンツ セキュリティ ポリシーの <meta http-equiv=\"Content-Security-Policy\">"
        }
        BrowserPolicy::Referrer => "リファラー ポリシーの <meta name=\"referrer\">",
    }
}

/// The policy `<meta>` a page must carry, as an English message names it.
fn policy_meta_en(policy: BrowserPolicy) -> &'static str {
    match policy {
        BrowserPolicy::ContentSecurity => {
            "content security policy <meta http-equiv=\"Content-Security-Policy\">"
        }
        BrowserPolicy::Referrer => "referrer policy <meta name=\"referrer\">",
    }
}

/// The line of a base template that writes a policy `<meta>` from the site's one
/// definition (the same in both languages: it is code).
fn policy_meta_template(policy: BrowserPolicy) -> &'static str {
    match policy {
        BrowserPolicy::ContentSecurity => {
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{{ site.content_security_policy }}\">"
        }
        BrowserPolicy::Referrer => {
            "<meta name=\"referrer\" content=\"{{ site.referrer_policy }}\">"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn from(vars: &[(&str, &str)]) -> MessageLanguage {
        MessageLanguage::from_locale(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_locale_chooses_the_message_language_in_the_c_library_order() {
        use MessageLanguage::{English, Japanese};
        assert_eq!(from(&[]), Japanese);
        assert_eq!(from(&[("LANG", "C")]), Japanese);
        assert_eq!(from(&[("LANG", "C.UTF-8")]), Japanese);
        assert_eq!(from(&[("LANG", "POSIX")]), Japanese);
        assert_eq!(from(&[("LANG", "ja_JP.UTF-8")]), Japanese);
        assert_eq!(from(&[("LANG", "en_US.UTF-8")]), English);
        assert_eq!(from(&[("LANG", "en_GB")]), English);
        assert_eq!(from(&[("LANG", "fr_FR.UTF-8")]), English);
        // LC_ALL beats LC_MESSAGES beats LANG; an empty one is skipped.
        assert_eq!(
            from(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "ja_JP.UTF-8")]),
            English
        );
        assert_eq!(
            from(&[("LC_MESSAGES", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")]),
            Japanese
        );
        assert_eq!(
            from(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "en_US.UTF-8"),
                ("LANG", "ja_JP.UTF-8")
            ]),
            English
        );
    }

    #[test]
    fn message_has_location_what_how_and_the_line() {
        let text = "+++\ntitel = \"x\"\n+++\n";
        let d = Diagnostic::error(Problem::UnknownKey {
            key: "titel".into(),
            allowed: vec!["title".into(), "date".into()],
            closest: Some("title".into()),
        })
        .at(&PathBuf::from("about.ja.md"), 2, 1, Some(text));
        let ja = format(&d, Path::new("content"), MessageLanguage::Japanese);
        assert!(ja.starts_with("content/about.ja.md:2:1: エラー: 「titel」は使えないキーです — 「title」の書き間違い"), "{ja}");
        assert!(ja.contains("\n 2 | titel = \"x\"\n   | ^"), "{ja}");
        let en = format(&d, Path::new("content"), MessageLanguage::English);
        assert!(en.starts_with("content/about.ja.md:2:1: error: \"titel\" is not an allowed key — Did you mean \"title\"?"), "{en}");
    }

    #[test]
    fn markers_account_for_full_width_characters() {
        assert_eq!(display_width("タイトル = x", 6), 9);
    }
}
