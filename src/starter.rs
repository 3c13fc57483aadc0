//! The words `yorisoi new news` writes into a new announcement for the author to replace.
//!
//! The words themselves are the theme's (`starter_*` in `i18n/<lang>.toml`, read into
//! each language's locale); this type is shared by the command that
//! writes them and the parse stage that refuses to publish them, so the two can never
//! drift apart: an announcement that still carries any of them once it is no longer a
//! draft is an error, never a published page.

/// The placeholder title, description and text of a new announcement in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Starter {
    pub title: String,
    pub description: String,
    pub body: String,
    /// The comment that tells the author how to publish.
    pub how_to_publish: String,
}

impl Starter {
    /// Whether a title, description or line of text is still this placeholder.
    pub fn is_placeholder(&self, text: &str, which: Part) -> bool {
        let placeholder = match which {
            Part::Title => &self.title,
            Part::Description => &self.description,
            Part::Body => &self.body,
        };
        !placeholder.is_empty()
            && match which {
                Part::Body => text.contains(placeholder.as_str()),
                _ => text.trim() == placeholder,
            }
    }
}

/// Which part of an announcement a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Title,
    Description,
    Body,
}
