//! A small XML reader, enough for `sitemap.xml`: an optional declaration, elements,
//! attributes, text, comments and the predefined entities.
//!
//! An HTML parser would accept a sitemap that XML tools reject (it ignores `/>` on
//! unknown elements and repairs mismatched tags), so the sitemap is read with this
//! instead. It refuses anything that is not well-formed, which makes reading the
//! sitemap a check of it too. Namespaces are not resolved: `xhtml:link` is just a name.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// All text directly inside the element, entities decoded.
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The one child with this name; fails the test if there is none or several.
    pub fn only_child(&self, name: &str) -> &Element {
        let found: Vec<&Element> = self.children.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "<{}> should have one <{name}>", self.name);
        found[0]
    }
}

/// Parses a whole document and returns its root element.
pub fn parse(input: &str) -> Result<Element, String> {
    let mut reader = Reader { rest: input };
    reader.skip_declaration()?;
    reader.skip_space_and_comments()?;
    let root = reader.element()?;
    reader.skip_space_and_comments()?;
    if !reader.rest.is_empty() {
        return Err(format!("text after the root element: {:.40}", reader.rest));
    }
    Ok(root)
}

struct Reader<'a> {
    rest: &'a str,
}

impl Reader<'_> {
    fn error<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at: {:.40}", self.rest))
    }

    fn eat(&mut self, expected: &str) -> Result<(), String> {
        match self.rest.strip_prefix(expected) {
            Some(rest) => {
                self.rest = rest;
                Ok(())
            }
            None => self.error(&format!("expected {expected:?}")),
        }
    }

    /// Everything up to `end`, which is consumed too.
    fn until(&mut self, end: &str) -> Result<&str, String> {
        let Some(at) = self.rest.find(end) else {
            return self.error(&format!("missing {end:?}"));
        };
        let taken = &self.rest[..at];
        self.rest = &self.rest[at + end.len()..];
        Ok(taken)
    }

    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn skip_declaration(&mut self) -> Result<(), String> {
        if self.rest.starts_with("<?xml") {
            self.until("?>")?;
        }
        Ok(())
    }

    fn skip_space_and_comments(&mut self) -> Result<(), String> {
        loop {
            self.skip_space();
            if !self.rest.starts_with("<!--") {
                return Ok(());
            }
            self.until("-->")?;
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let end = self
            .rest
            .find(|c: char| c.is_whitespace() || "/>=<\"'".contains(c))
            .unwrap_or(self.rest.len());
        if end == 0 {
            return self.error("expected a name");
        }
        let name = self.rest[..end].to_owned();
        self.rest = &self.rest[end..];
        Ok(name)
    }

    fn element(&mut self) -> Result<Element, String> {
        self.eat("<")?;
        let name = self.name()?;
        let attrs = self.attributes()?;
        let mut element = Element {
            name,
            attrs,
            children: Vec::new(),
            text: String::new(),
        };
        if self.rest.starts_with("/>") {
            self.eat("/>")?;
            return Ok(element);
        }
        self.eat(">")?;
        self.content(&mut element)?;
        Ok(element)
    }

    fn attributes(&mut self) -> Result<Vec<(String, String)>, String> {
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            self.skip_space();
            if self.rest.starts_with('>') || self.rest.starts_with("/>") {
                return Ok(attrs);
            }
            let name = self.name()?;
            self.skip_space();
            self.eat("=")?;
            self.skip_space();
            let quote = match self.rest.chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return self.error("attribute values must be quoted"),
            };
            self.rest = &self.rest[1..];
            let raw = self.until(&quote.to_string())?;
            if raw.contains('<') {
                return self.error("'<' inside an attribute value");
            }
            if attrs.iter().any(|(n, _)| *n == name) {
                return self.error(&format!("attribute {name} given twice"));
            }
            attrs.push((name, decode(raw)?));
        }
    }

    /// Children and text up to the matching end tag.
    fn content(&mut self, element: &mut Element) -> Result<(), String> {
        loop {
            if self.rest.starts_with("</") {
                self.eat("</")?;
                let end = self.name()?;
                if end != element.name {
                    return self.error(&format!("</{end}> closes <{}>", element.name));
                }
                self.skip_space();
                return self.eat(">");
            } else if self.rest.starts_with("<!--") {
                self.until("-->")?;
            } else if self.rest.starts_with('<') {
                element.children.push(self.element()?);
            } else if self.rest.is_empty() {
                return self.error(&format!("<{}> is never closed", element.name));
            } else {
                let end = self.rest.find('<').unwrap_or(self.rest.len());
                element.text.push_str(&decode(&self.rest[..end])?);
                self.rest = &self.rest[end..];
            }
        }
    }
}

/// Decodes the five predefined entities and character references; a bare `&` is an
/// error, as in XML.
fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(end) = after.find(';') else {
            return Err(format!("bare & in {raw:?}"));
        };
        let entity = &after[..end];
        let decoded = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => character_reference(entity).ok_or_else(|| format!("unknown entity &{entity};"))?,
        };
        out.push(decoded);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `#233` or `#xE9`.
fn character_reference(entity: &str) -> Option<char> {
    let number = entity.strip_prefix('#')?;
    let code = match number.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    char::from_u32(code)
}
