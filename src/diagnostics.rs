//! Typed problems found while building, with where they were found.
//!
//! Every stage reports through these types and never formats text for people itself:
//! the `report` module is the one place that turns a [`Problem`] into words, so that the
//! wording (Japanese for the staff, English on request) lives in one file.

use std::path::{Path, PathBuf};

use crate::locale::Script;
use crate::localized::LocalizedError;
use crate::phone::PhoneError;

/// How bad a problem is. Errors stop `build`; warnings stop only `check`; notices
/// (facts due for re-checking) are shown by `check` and stop it only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

/// A place in a source file, 1-based, columns counted in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// One problem, where it is, and the offending source line when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    /// The entry of a data file the problem is in, named in the message, so that a
    /// mistake among 35 municipalities says which one.
    pub entry: Option<Entry>,
    pub problem: Problem,
    /// The source line the location points into, shown under the message.
    pub source_line: Option<Excerpt>,
}

/// An entry of a TOML file as a message names it: `[[municipality]]「仙台市」`, `[contact]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The heading the entry starts with, as written: `[[municipality]]`, `[contact]`,
    /// `[languages.en]`.
    pub heading: String,
    /// What the entry is called: its `id`, `name`, `title`… in the default language.
    pub name: Option<String>,
    /// Its place among the entries under the same heading, 1-based, for an entry
    /// without a name; `None` for a table that appears once (`[contact]`).
    pub number: Option<usize>,
}

/// The part of a source line shown under a message: the whole line when it is short,
/// else a window around the column, so that no message holds a copy of a huge line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The column of the problem within `text`, 1-based, in characters.
    pub column: usize,
}

/// How many bytes of a line an excerpt shows on each side of the column.
const EXCERPT_REACH: usize = 120;

impl Excerpt {
    /// The excerpt of `text` around byte `offset`: from the line's start (or
    /// [`EXCERPT_REACH`] bytes before the offset) to its end (or as far after), marked
    /// `…` where it is cut. Costs at most twice the reach, however long the line.
    pub fn around(text: &str, offset: usize) -> Excerpt {
        let offset = floor_boundary(text, offset.min(text.len()));
        let from = floor_boundary(text, offset.saturating_sub(EXCERPT_REACH));
        let start = text[from..offset]
            .rfind('\n')
            .map_or(from, |i| from + i + 1);
        let to = ceil_boundary(text, (offset + EXCERPT_REACH).min(text.len()));
        let end = text[offset..to].find('\n').map_or(to, |i| offset + i);
        let cut_before = start == from && from > 0 && !text[..from].ends_with('\n');
        let cut_after = end == to && to < text.len() && !text[to..].starts_with('\n');
        let mut shown = String::with_capacity(end - start + 6);
        if cut_before {
            shown.push('…');
        }
        shown.push_str(&text[start..end]);
        if cut_after {
            shown.push('…');
        }
        Excerpt {
            text: shown,
            column: text[start..offset].chars().count() + 1 + usize::from(cut_before),
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl Diagnostic {
    pub fn error(problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            entry: None,
            problem,
            source_line: None,
        }
    }

    pub fn warning(problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(problem)
        }
    }

    pub fn notice(problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Notice,
            ..Diagnostic::error(problem)
        }
    }

    /// Attaches a location; the line is looked up in `text` when given. For problems
    /// near the top of a file (front matter, settings); see [`Diagnostic::at_offset`]
    /// for many problems in one long text.
    pub fn at(mut self, file: &Path, line: usize, column: usize, text: Option<&str>) -> Self {
        self.source_line = text.and_then(|t| {
            let line_start = if line <= 1 {
                0
            } else {
                t.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
            };
            let line_text = &t[line_start..];
            let offset = line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i);
            Some(Excerpt::around(t, line_start + offset))
        });
        self.location = Some(Location {
            file: file.to_path_buf(),
            line,
            column,
        });
        self
    }

    /// Attaches a location already known as a line and column, with the excerpt taken
    /// around byte `offset` of `text`: constant work per problem, so a page with many
    /// problems on one huge line is still reported in linear time.
    pub fn at_offset(mut self, file: &Path, position: Position, text: &str) -> Self {
        self.source_line = Some(Excerpt::around(text, position.offset));
        self.location = Some(Location {
            file: file.to_path_buf(),
            line: position.line,
            column: position.column,
        });
        self
    }

    /// Names the entry of a data file the problem is in.
    pub fn in_entry(mut self, entry: Option<Entry>) -> Self {
        self.entry = entry;
        self
    }

    /// Attaches a file without a line (a problem with the file as a whole).
    pub fn in_file(mut self, file: &Path) -> Self {
        self.location = Some(Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}

/// What kind of value a key of a TOML file expects, for type errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Bool,
    Integer,
    /// A whole number, zero or more (a count, a size).
    Count,
    Date,
    /// `["a", "b"]`.
    List,
    /// `[name]` with keys under it, or `{ key = … }`.
    Table,
    /// Entries each starting with `[[name]]`.
    Entries,
    /// Words: `"…"` in the default language, or one text per language
    /// (`name.ja = "…"`, `name.en = "…"`).
    Words,
}

/// Everything that can be wrong, as data. Wording lives in the `report` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // -- reading files
    Unreadable {
        detail: String,
    },
    NotUtf8 {
        saved_as: SavedAs,
    },
    IgnoredFile,
    /// There is no content folder where the command looked (`path`), or it is a file.
    NoContentFolder {
        path: PathBuf,
    },
    // -- site.toml and data files
    MissingConfig,
    DefaultLanguageNotDeclared {
        lang: String,
    },
    /// `path` of a language that is not one folder name.
    InvalidLanguagePath {
        lang: String,
        path: String,
    },
    /// `variant_of` naming no declared language of its own.
    InvalidVariantOf {
        lang: String,
        of: String,
    },
    InvalidBaseUrl {
        value: String,
        flaw: crate::address::BaseUrlFlaw,
    },
    // -- file names
    NoLanguageInFileName {
        suggestion: String,
    },
    UnknownLanguage {
        lang: String,
        declared: Vec<String>,
    },
    BadSlug {
        name: String,
        /// The name made usable, when only spaces, capitals or underscores are wrong.
        suggestion: Option<String>,
    },
    // -- front matter
    MissingFrontMatter,
    UnclosedFrontMatter,
    /// A line that is not TOML; `hint`, what is wrong with it when the line shows it.
    /// The TOML reader's own words are not kept: they never reach staff.
    InvalidToml {
        /// The key of the line, when it has one.
        key: Option<String>,
        hint: Option<TomlHint>,
    },
    UnknownKey {
        key: String,
        allowed: Vec<String>,
        closest: Option<String>,
    },
    /// A key every entry of its kind needs.
    MissingKey {
        key: String,
    },
    /// One key written twice in one table.
    DuplicateKey {
        key: String,
    },
    WrongType {
        key: String,
        expected: ValueKind,
        /// The value as written, when known: `"1409"` with its quotes.
        written: Option<String>,
    },
    /// A value of a key that is none of the values it takes.
    NotOneOf {
        key: String,
        value: String,
        allowed: Vec<String>,
    },
    /// A value that cannot be read for a reason no other problem names.
    InvalidValue {
        key: Option<String>,
    },
    MissingTitle,
    EmptyTitle,
    InvalidDate {
        key: String,
        value: String,
        /// The day `value` names, as the site writes it (`令和8年4月8日` → `2026-04-08`),
        /// when it can be read as one.
        suggestion: Option<String>,
    },
    /// An announcement without `date`.
    MissingDate,
    /// Words `new news` wrote for the author to replace, in a page that is no longer a
    /// draft (`field` is `title`, `description` or `text`).
    PlaceholderText {
        field: String,
    },
    ExpiresBeforeDate {
        date: String,
        expires: String,
    },
    /// Translations of one announcement give different dates (`key` is `date` or
    /// `expires`; `-` stands for "not given").
    TranslationDateDiffers {
        key: String,
        date: String,
        other_lang: String,
        other_date: String,
    },
    UnknownTemplate {
        name: String,
        available: Vec<String>,
    },
    // -- accessibility of the text
    ImageWithoutAlt,
    HeadingLevelOne,
    SkippedHeading {
        from: usize,
        to: usize,
    },
    EmptyLink,
    VagueLinkText {
        text: String,
    },
    ScriptInContent,
    /// A link with a scheme that is not allowed (`javascript:`, `data:`, `file:`).
    UnsafeUrl {
        url: String,
        scheme: String,
    },
    /// Something the browser would fetch from another host as the page loads.
    ExternalResource {
        url: String,
    },
    /// An HTML element a page's text may not use.
    ElementNotAllowed {
        name: String,
    },
    /// An HTML attribute that element may not have.
    AttributeNotAllowed {
        element: String,
        name: String,
    },
    /// CSS that runs script (`expression()`, `behavior`, `@import`).
    ScriptInStyle,
    /// An SVG file the XML reader cannot read (or that declares a DTD).
    SvgNotWellFormed {
        detail: String,
    },
    /// A symbolic link in the content folder, not followed.
    SymlinkNotFollowed,
    /// A publication's `alternative` that leads to no page of the site.
    AlternativeNotAPage {
        dest: String,
    },
    /// A download that some readers cannot use (`inspect`).
    InaccessibleDownload {
        finding: DownloadFinding,
    },
    /// A PDF or Office download that was not looked inside: nothing is known of what it
    /// holds for a reader who cannot see it.
    DownloadNotLookedInto {
        reason: NotLookedInto,
    },
    /// A page of the accessibility test's record names a check the record does not list.
    UnknownCheck {
        id: String,
    },
    /// A success criterion that is not one of JIS X 8341-3:2016's 38 at A and AA (in a
    /// judgement), or not written as a criterion's number (in a check).
    UnknownCriterion {
        number: String,
    },
    /// Two judgements of one criterion.
    DuplicateJudgement {
        criterion: String,
    },
    /// A person judged a criterion met (or not applicable) that these machine checks
    /// failed on: the failure stands.
    JudgementContradicted {
        criterion: String,
        checks: Vec<String>,
    },
    /// The accessibility test's record names a page the site no longer has.
    TestedPageGone {
        path: String,
    },
    /// The accessibility test is more than a year old.
    TestResultsOld {
        tested: String,
    },
    /// A rule of the easy-Japanese guideline, on a page written in やさしい日本語.
    EasyJapanese {
        rule: crate::easy_japanese::EasyRule,
    },
    /// Furigana written `{漢字|かんじ}` the wrong way.
    MalformedRuby {
        problem: crate::ruby::RubyProblem,
    },
    /// A control character (NUL, ESC, …) in a text file.
    ControlCharacter {
        code: u32,
    },
    InlineEventHandler {
        attribute: String,
    },
    /// The page's text is mostly in another script than its language's.
    LanguageMismatch {
        declared: String,
        looks: Script,
    },
    /// A wording the site's glossary replaces with another.
    AvoidedTerm {
        found: String,
        preferred: String,
    },
    // -- data files
    UnknownReference {
        id: String,
        known: Vec<String>,
    },
    MissingFile {
        path: String,
    },
    /// Two entries of a data file share an id.
    DuplicateId {
        id: String,
    },
    /// Words in several languages that cannot be used (`field` names the key).
    InvalidText {
        field: String,
        reason: LocalizedError,
        default: String,
    },
    InvalidPhone {
        field: String,
        value: String,
        reason: PhoneError,
    },
    /// An `[[emergency]]` entry whose number is not 110, 118 or 119.
    NotAnEmergencyNumber {
        value: String,
    },
    /// `site.toml` gives no consultation number, which every page shows.
    MissingConsultationPhone,
    /// `site.toml` has no `[contact]` table, so no page shows a consultation line.
    NoConsultationLine,
    /// A five-digit code that is none of Miyagi's municipalities.
    UnknownMunicipalityCode {
        code: String,
    },
    /// A code that is another municipality's than the name written beside it.
    MunicipalityCodeNamesAnother {
        code: String,
        listed: String,
        written: String,
    },
    InvalidMunicipalityCode {
        code: String,
    },
    /// `size_kb` too large to be a file's size.
    SizeTooLarge {
        kb: u64,
    },
    /// A fact names a source that `sources.toml` does not have.
    UnknownSource {
        id: String,
        known: Vec<String>,
        /// The known id it is most likely a misspelling of.
        closest: Option<String>,
    },
    /// A fact with no source at all.
    MissingSource {
        field: String,
    },
    /// A source gives more than one kind of date (a day and a fiscal year, say).
    SeveralSourceDates,
    /// `verified` needs the day a person checked, not only a month.
    VerifiedNeedsDay,
    /// A date that must name a day (the day of a test, of a judgement) gives a month.
    DateNeedsDay {
        key: String,
    },
    /// `[contact.opening_hours]` names a day that is not a day of the week.
    UnknownWeekday {
        value: String,
    },
    /// `[contact.opening_hours]` names a day twice.
    RepeatedWeekday {
        value: String,
    },
    /// A time of day not written as `09:00`.
    InvalidClockTime {
        key: String,
        value: String,
    },
    ClosesNotAfterOpens {
        opens: String,
        closes: String,
    },
    /// `[contact.opening_hours]` without `hours`: days and times for machines that no
    /// page shows in words.
    OpeningHoursWithoutWords,
    /// The words of `hours` do not give the times of `[contact.opening_hours]`: one of
    /// them was changed without the other. `words`: each language's words that lack
    /// them, as read.
    OpeningHoursNotInWords {
        opens: String,
        closes: String,
        words: Vec<(String, String)>,
    },
    VerifiedInFuture {
        id: String,
    },
    /// No fact names this source.
    UnusedSource {
        id: String,
    },
    /// The facts of a source hold as of a date over a year ago.
    StaleSource {
        id: String,
        holds_at: AsOfDate,
        facts: usize,
    },
    /// The source gives no date, so nobody can tell how current its facts are.
    UndatedSource {
        id: String,
        facts: usize,
    },
    // -- what `check` adds
    /// An announcement ends within a fortnight.
    ExpiresSoon {
        date: String,
        days: i64,
    },
    /// A file of `content/files/` that nothing links to.
    UnlinkedFile {
        url: String,
    },
    /// A page's text names a source (its title in 「」) that its `sources` does not.
    CreditedSourceNotListed {
        id: String,
        title: String,
    },
    /// A phone number typed into a page's text rather than kept in a data file.
    PhoneInText {
        written: String,
    },
    /// A page in やさしい日本語 states a number (an age, a count, an hour, a date) that
    /// its page in the language it is a way of writing does not.
    EasyNumberNotInStandard {
        number: String,
        standard: String,
    },
    /// A page's `date` (when this site published it) is before the date of a source
    /// its text relies on: the date is that of what happened, not of the publication.
    PublishedBeforeSource {
        date: String,
        id: String,
        source_date: String,
    },
    /// A sentence of a page's text gives a phone line a use or a restriction (「ご相談
    /// 以外の…」, "not for consultation") or names a line the data does not have.
    PhoneRoleInText {
        words: Vec<String>,
    },
    /// A sentence of a page's text says when lines can be called in a way no data
    /// backs (「それ以外の時間にも」, "at any time").
    AvailabilityInText {
        words: String,
    },
    /// `base_url` is still an example address.
    PlaceholderBaseUrl {
        url: String,
    },
    // -- links and structure
    /// Two outputs would write the same file.
    RouteClash {
        path: String,
        first: RouteOwner,
        second: RouteOwner,
    },
    DuplicateUrl {
        url: String,
        other: PathBuf,
    },
    BrokenLink {
        target: String,
        suggestion: Option<String>,
    },
    LinkToDraft {
        target: String,
    },
    /// A variant of a language (やさしい日本語) has only some of the site's pages.
    PartialVariant {
        name: String,
        pages: usize,
        of: usize,
    },
    /// A page's translation exists but is still a draft, so readers of that language
    /// are led to its home page.
    TranslationIsDraft {
        lang: String,
        file: PathBuf,
    },
    MissingTranslation {
        lang: String,
        expected: PathBuf,
    },
    // -- theme and rendering
    /// A template names a theme file by its name in the theme (`css/site.css`), which is
    /// not the name it is published under (`css/site-<hash>.css`).
    ThemeFileByName {
        path: String,
    },
    MissingThemeFile {
        path: PathBuf,
    },
    Template {
        detail: String,
    },
    FeedFailed {
        detail: String,
    },
    MissingUiString {
        lang: String,
        key: String,
        fallback: String,
    },
    /// A language setting of the theme (`date_style`, …) with a value not known.
    UnknownSetting {
        key: String,
        value: String,
        allowed: Vec<&'static str>,
    },
    // -- output
    OutputNotOurs {
        output: PathBuf,
    },
    OutputContainsContent {
        output: PathBuf,
    },
    OutputInsideContent {
        output: PathBuf,
    },
    /// The output would hold a theme folder, whose files it replaces.
    OutputContainsTheme {
        output: PathBuf,
        theme: PathBuf,
    },
    /// The output would sit inside a theme folder, whose files are published as they are.
    OutputInsideTheme {
        output: PathBuf,
        theme: PathBuf,
    },
    WriteFailed {
        path: PathBuf,
        detail: String,
    },
    /// `publish` from a folder `build` did not write.
    NotBuilt {
        folder: PathBuf,
    },
    /// `publish` into a folder that is neither empty nor published by yorisoi.
    PublishNotOurs {
        folder: PathBuf,
    },
    /// `publish` into the built folder itself, or one inside or around it.
    PublishOverlaps {
        from: PathBuf,
        to: PathBuf,
    },
    /// The site's path holds a character that would change the meaning of a server's
    /// settings if written into them (`;`, `$`, a quote), so none are written.
    ServerPathUnsafe {
        path: String,
    },
    /// A file `publish` could not write or remove.
    PublishFailed {
        path: PathBuf,
        detail: String,
    },
    /// The new site is in place, but the previous one could not be removed from beside it.
    PreviousOutputLeft {
        path: PathBuf,
        detail: String,
    },
    /// The site is published below a path, where crawlers never look for `robots.txt`,
    /// so none was written.
    RobotsNotWritten {
        base_url: String,
    },
    /// `new` would replace an existing file.
    AlreadyExists,
    /// `theme` in `site.toml` that is not one folder name under `themes/`.
    InvalidThemeName {
        name: String,
    },
    /// A language code of `site.toml` that is not a BCP 47 language tag.
    InvalidLanguageCode {
        code: String,
    },
    /// A file published as it is (a download, or a file of the theme's `static/`)
    /// whose name is not one the site publishes; `theme` for the theme's, which may
    /// also be style sheets.
    UnpublishableFile {
        flaw: crate::file_kinds::NameFlaw,
        theme: bool,
    },
    /// An attribute of a heading's `{…}` block other than `#id` and `.class`.
    HeadingAttributeNotAllowed {
        name: String,
    },
    /// A link in the text with `rel="opener"`, which gives the page it opens a handle on
    /// this one.
    OpenerLink,
    /// A processing instruction (`<?xml-stylesheet …?>`) in an SVG file.
    SvgProcessingInstruction {
        target: String,
    },
    /// A CSS custom property (`--name`) holding a string or a `url()`.
    StyleCustomPropertyValue {
        name: String,
    },
    /// A piece of raw HTML that ends inside a tag, an attribute value or a comment,
    /// which the browser would finish with whatever follows it.
    UnfinishedRawHtml,
    /// A link that looks like a path but that a browser reads as another site
    /// (`/\evil.example/`, `//evil.example`, `https:evil.example`).
    HostWrittenAsPath {
        url: String,
    },
    /// A CSS custom property holding a string or URL, or a `var()` inside a function
    /// that fetches: the URL would reach the browser where no check sees it.
    UrlInCssVariable,
    /// A file about to be published that the output verifier refused: what a reader
    /// would receive breaks the site's policy, whichever input it came from.
    OutputRefused {
        /// The file below the output folder (`en/about/index.html`).
        output: String,
        /// The line of that file, when the reader that found it knows one.
        line: Option<usize>,
        /// Boxed: a problem is moved around often, and this one is rare.
        refusal: Box<OutputRefusal>,
        /// Whether the file is copied as it is (a download or a theme file), so the fix
        /// is in that file; otherwise it was made from a page and the theme's templates.
        copied: bool,
        /// How many other files carry the same refusal (a template puts it in every page).
        others: usize,
    },
}

/// What looking inside a download found that keeps a reader out (`inspect`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadFinding {
    /// Not readable as a PDF at all.
    PdfUnreadable,
    /// Encrypted so that assistive technology may not read it (or not opened without a
    /// password).
    PdfLocked,
    /// No tags (`/MarkInfo /Marked true` and a `/StructTreeRoot`): no headings, lists,
    /// tables or reading order for a screen reader.
    PdfUntagged,
    /// No document language (`/Lang`): a screen reader reads it in the wrong voice.
    PdfNoLanguage,
    /// No title (`/Title` or XMP `dc:title`).
    PdfNoTitle,
    /// A title, but the window shows the file name (`/DisplayDocTitle` not true).
    PdfTitleNotShown,
    /// No page shows text: scanned pages, pictures of text.
    PdfNoText,
    /// Figures in the tag tree with no alternative text (`/Alt`).
    PdfFiguresWithoutAlt { count: usize },
    /// Not readable as the Office file its name says (`DOCX`).
    OfficeUnreadable { format: String },
    /// No title in the file's properties.
    OfficeNoTitle { format: String },
    /// No language in the file's properties or default text style.
    OfficeNoLanguage { format: String },
}

/// Why a download was not looked inside (`inspect`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotLookedInto {
    /// Larger than the build reads into memory.
    TooLarge { megabytes: u64 },
    /// An Office format from before 2007 (`DOC`), whose binary files are not read.
    OldFormat { format: String, newer: String },
}

/// What the output verifier refused in a file about to be published.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutputRefusal {
    /// A file name no reader may be given: an extension the site does not publish, more
    /// than one, none, or a trailing dot or space.
    FileKind,
    /// An HTML, XML, SVG or CSS file that is not UTF-8.
    NotUtf8,
    /// XML or SVG that an XML reader refuses (or that declares a DTD).
    NotWellFormed { detail: String },
    /// An element outside the policy (`<iframe>`, `<base>`, `<script>` in SVG).
    Element { name: String },
    /// An attribute outside the policy for its element.
    Attribute { element: String, name: String },
    /// An attribute that runs script (`onerror`).
    EventHandler { name: String },
    /// A `<script>` with text in it, or without a `src`.
    InlineScript,
    /// A script file that is not the generator's own search script.
    ForeignScript,
    /// A `<script type="application/ld+json">` whose text is not JSON, or holds a `<`
    /// (which could end the element or start a comment the browser reads as markup).
    StructuredData,
    /// A file of the site search's index that its script could not read: not JSON, or
    /// a page's address leading off the site.
    SearchIndex,
    /// A file of open data that its readers would not read as the site meant: CSV whose
    /// rows differ in length, JSON that is not the rows as objects of text.
    OpenData,
    /// A CSV cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first).
    SpreadsheetFormula,
    /// A compressed copy (`.gz`, `.br`) does not decode to the file it is a copy of.
    CompressedCopy,
    /// A URL on a scheme the site does not use for that purpose (`javascript:`, `data:`).
    Scheme { url: String, scheme: String },
    /// Something the browser would fetch by itself from another site.
    OtherHost { url: String },
    /// A link of a feed or the sitemap that does not lead to the site's own host.
    LinkElsewhere { url: String },
    /// CSS that runs script or brings in other style sheets (`expression()`, `@import`).
    ScriptInStyle,
    /// A URL hidden in a CSS custom property.
    UrlInVariable,
    /// A processing instruction (`<?xml-stylesheet …?>`).
    ProcessingInstruction { target: String },
    /// A character no reader should receive: a noncharacter (U+FFFF), a bidirectional
    /// override or isolate (U+202E, U+2066), or a control character.
    Character { code: u32 },
    /// `rel="opener"`: the other page would get a handle on this one.
    Opener,
    /// `<meta http-equiv>` other than the content security policy (`refresh` leaves the
    /// page for wherever it says).
    HttpEquiv { value: String },
    /// A `<link rel>` the policy does not know (`preconnect`, `prefetch`: they contact
    /// other hosts).
    LinkRel { rel: String },
    /// A page without the browser policy's `<meta>` in its `<head>`.
    PolicyMissing { policy: BrowserPolicy },
    /// A page whose policy `<meta>` says something else than the site's policy.
    PolicyDiffers {
        policy: BrowserPolicy,
        value: String,
    },
    /// A page with the policy's `<meta>` more than once.
    PolicyRepeated { policy: BrowserPolicy },
    /// A policy `<meta>` outside `<head>`, or after something that loads a file: the
    /// browser applies it only to what follows it in the head.
    PolicyLate { policy: BrowserPolicy },
}

/// Which of the policies every page carries as a `<meta>` (src/browser_policy.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BrowserPolicy {
    /// `<meta http-equiv="Content-Security-Policy">`.
    ContentSecurity,
    /// `<meta name="referrer">`.
    Referrer,
}

/// How a file that is not UTF-8 seems to have been saved, so that the message can name
/// it and say how to save it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedAs {
    /// Shift_JIS or its Windows form CP932: older Notepad's "ANSI" on Japanese Windows.
    ShiftJis,
    /// UTF-16: Notepad's "Unicode".
    Utf16,
    /// Something else.
    Unknown,
}

/// Who claims a path of the output, as a message about a clash names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteOwner {
    /// A page, from its file.
    Page { source: PathBuf },
    /// A later page of a list (the news list's page 2), from the list's own file.
    ListPage { source: PathBuf, page: usize },
    /// A file of `content/files/`, or of the theme.
    File { source: PathBuf },
    /// A language's feed, from its news list's file.
    Feed { source: PathBuf },
    /// A file every site has: `sitemap.xml`, `robots.txt`, `404.html`.
    Generated { what: &'static str },
}

/// When a source's facts held, as a message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsOfDate {
    /// `2025-11-12` or `2024-08`.
    Date(String),
    Year(i32),
    FiscalYear(i32),
}

/// A likely cause of a TOML syntax error, spotted in the offending line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlHint {
    FullWidthSpace,
    FullWidthEquals,
    /// Text without quotes around it.
    UnquotedText,
    /// A number with a leading zero: a phone number or a code, which are text.
    LeadingZero,
    /// A `"` opened and not closed on the line.
    UnclosedQuote,
    /// `key =` with nothing after it.
    MissingValue,
    /// A key with characters a bare key cannot have (Japanese, spaces).
    KeyCharacters,
    /// A line that is neither `key = value` nor a `[heading]`.
    NotKeyValue,
    /// A `[heading]` or `[list]` whose bracket is not closed.
    UnclosedBracket,
    /// Two items of a `[list]` without a comma between them.
    MissingComma,
}

/// The diagnostics of one build, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_warning()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position so output does not depend on thread timing.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.location, a.severity)
                .cmp(&(&b.location, b.severity))
                .then_with(|| format!("{:?}", a.problem).cmp(&format!("{:?}", b.problem)))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// A place in a text: its byte offset, 1-based line and column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// Finds the line and column of byte offsets met in increasing order, in time linear in
/// the text however many there are (a fresh count from the line's start for each would
/// be quadratic on a long line). An offset before the last one starts over.
#[derive(Debug, Clone)]
pub struct LineCursor<'t> {
    text: &'t str,
    at: Position,
}

impl<'t> LineCursor<'t> {
    pub fn new(text: &'t str) -> Self {
        LineCursor {
            text,
            at: Position {
                offset: 0,
                line: 1,
                column: 1,
            },
        }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        if offset < self.at.offset {
            self.at = Position {
                offset: 0,
                line: 1,
                column: 1,
            };
        }
        for c in self.text[self.at.offset..offset].chars() {
            if c == '\n' {
                self.at.line += 1;
                self.at.column = 1;
            } else {
                self.at.column += 1;
            }
        }
        self.at.offset = offset;
        self.at
    }
}

/// Maps byte offsets in a text to 1-based line and character column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(text.len());
        let column = text.get(start..end).map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "一行目\nタイトル = x\n";
        let index = LineIndex::new(text);
        let offset = text.find('=').unwrap();
        assert_eq!(index.position(text, offset), (2, 6));
        assert_eq!(index.position(text, 0), (1, 1));
    }

    #[test]
    fn a_cursor_finds_positions_in_order_and_after_going_back() {
        let text = "一行目\nタイトル = x\n三";
        let mut cursor = LineCursor::new(text);
        let eq = text.find('=').unwrap();
        assert_eq!(
            (cursor.position(eq).line, cursor.position(eq).column),
            (2, 6)
        );
        let third = text.find('三').unwrap();
        assert_eq!(cursor.position(third).line, 3);
        assert_eq!(cursor.position(0).column, 1);
    }

    #[test]
    fn excerpts_of_long_lines_are_clipped_around_the_column() {
        let line = format!("{}[x](/missing/){}", "あ".repeat(5000), "い".repeat(5000));
        let offset = line.find('[').unwrap();
        let excerpt = Excerpt::around(&line, offset);
        assert!(excerpt.text.len() < 400, "{}", excerpt.text.len());
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        let marked: String = excerpt
            .text
            .chars()
            .skip(excerpt.column - 1)
            .take(3)
            .collect();
        assert_eq!(marked, "[x]");
        let short = Excerpt::around("a\nbc [d](e)\nf", 5);
        assert_eq!(
            short,
            Excerpt {
                text: "bc [d](e)".into(),
                column: 4
            }
        );
    }

    #[test]
    fn sorting_puts_diagnostics_in_file_order() {
        let mut ds = Diagnostics::default();
        ds.push(Diagnostic::error(Problem::MissingTitle).at(Path::new("b.ja.md"), 1, 1, None));
        ds.push(Diagnostic::error(Problem::MissingTitle).at(Path::new("a.ja.md"), 9, 1, None));
        ds.push(Diagnostic::warning(Problem::MissingTitle).at(Path::new("a.ja.md"), 2, 1, None));
        let files: Vec<_> = ds
            .into_sorted()
            .into_iter()
            .map(|d| d.location.unwrap().line)
            .collect();
        assert_eq!(files, vec![2, 9, 1]);
    }
}
