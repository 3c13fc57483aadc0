//! The words `yorisoi new news` writes into a new announcement for the author to replace.
//!
//! Owned here, apart from both the command that writes them and the parse stage that
//! refuses to publish them, so the two can never drift apart: an announcement that still
//! carries any of them once it is no longer a draft is an error, never a published page.

/// The placeholder title, description and text of a new announcement in one language.
#[derive(Debug, Clone, Copy)]
pub struct Starter {
    pub title: &'static str,
    pub description: &'static str,
    pub body: &'static str,
    /// The comment that tells the author how to publish.
    pub how_to_publish: &'static str,
}

const JAPANESE: Starter = Starter {
    title: "お知らせの題名",
    description: "一覧とフィードに表示する短い説明（1～2文）",
    body: "ここに本文を書きます。",
    how_to_publish: "書き終えたら draft = true の行を消すと、次の build で公開されます。",
};

const ENGLISH: Starter = Starter {
    title: "Title of the announcement",
    description: "A sentence or two shown in the list and the feed",
    body: "Write the announcement here.",
    how_to_publish: "When it is ready, delete the line draft = true; the next build publishes it.",
};

/// The placeholders for a language: Japanese for Japanese and its variants, English for
/// every other language.
pub fn for_language(lang: &str) -> Starter {
    if lang == "ja" || lang.starts_with("ja-") {
        JAPANESE
    } else {
        ENGLISH
    }
}

/// Every placeholder of every language, since an author may copy one file's front
/// matter into another language's file.
pub fn all() -> [Starter; 2] {
    [JAPANESE, ENGLISH]
}
