//! What a page tells search engines and other sites' programs in JSON-LD (schema.org):
//! the centre as a `GovernmentOffice`, from the sourced facts of `site.toml`'s
//! `[contact]` and nothing else, and the page's place in the site as a
//! `BreadcrumbList` of the same pages, titles and order as its visible breadcrumbs.
//!
//! It is data, never script: the theme writes it into `<script type="application/ld+json">`,
//! which the browser never runs, and every `<`, `>` and `&` in it is written as a JSON
//! escape (`\u003c`), so no text in it can end the element or start a comment. The
//! output verifier reads it back as JSON before anything is published (see `verify`).
//!
//! A property the facts do not give is left out, never filled: the centre's hours are
//! those `[contact.opening_hours]` gives from the source of `hours`, each number has the
//! role its source gives it (`phone_label`, `inquiry_label`) or none, and `validFrom` is
//! there only when the source gives a first day.

use chrono::Weekday;
use serde_json::{Map, Value, json};

use crate::data::contact::{Contact, OpeningHours};
use crate::localized::Localized;
use crate::phone::PhoneNumber;
use crate::ruby;
use crate::site::Site;

/// The vocabulary every object is in.
const CONTEXT: &str = "https://schema.org";

/// The fragment that names the centre, after its home page's address in the default
/// language: the same node in every language, so a reader can join them.
const CENTRE_FRAGMENT: &str = "#centre";

/// A page's place in the site: each page above it, then the page itself, as the
/// visible breadcrumbs name them, with full addresses.
pub struct Trail<'a> {
    /// `(title, permalink)`, outermost first, the page itself last.
    pub steps: Vec<(&'a str, &'a str)>,
}

/// The centre as a `GovernmentOffice` in `lang`, if the site has contact details, as
/// JSON escaped for the element ([`escape_for_html`]). Built once per language and put
/// as it is into each of its pages.
pub fn centre(site: &Site, lang: &str) -> Option<String> {
    centre_value(site, lang).map(|office| escape_for_html(&office.to_string()))
}

fn centre_value(site: &Site, lang: &str) -> Option<Value> {
    let contact = site.data.contact.as_ref()?;
    let config = &site.config;
    let default = config.default_language.as_str();
    let text = |value: &Localized| ruby::plain(&value.shown(lang, default).text);
    let home = |lang: &str| {
        config
            .address
            .permalink(&format!("{}/", config.language_prefix(lang)))
    };
    let mut office = Map::new();
    office.insert("@type".into(), "GovernmentOffice".into());
    office.insert(
        "@id".into(),
        format!("{}{CENTRE_FRAGMENT}", home(default)).into(),
    );
    office.insert("name".into(), text(&contact.name).into());
    office.insert("url".into(), home(lang).into());
    office.insert("telephone".into(), dialled(&contact.phone.value).into());
    if let Some(address) = &contact.address {
        office.insert(
            "address".into(),
            json!({"@type": "PostalAddress", "streetAddress": text(&address.value)}),
        );
    }
    if let Some(fax) = &contact.fax {
        office.insert("faxNumber".into(), dialled(&fax.value).into());
    }
    let hours = contact.opening_hours.as_ref().map(|h| hours(&h.value));
    if let Some(hours) = &hours {
        office.insert("openingHoursSpecification".into(), hours.clone());
    }
    if let Some(area) = &contact.area_served {
        office.insert("areaServed".into(), text(&area.value).into());
    }
    if let Some(parent) = &contact.parent_organization {
        office.insert(
            "parentOrganization".into(),
            json!({"@type": "GovernmentOrganization", "name": text(&parent.value)}),
        );
    }
    office.insert(
        "contactPoint".into(),
        Value::Array(contact_points(contact, hours, &text)),
    );
    Some(Value::Object(office))
}

/// One `ContactPoint` per number: the consultation line with its hours, then each
/// enquiry number, each with the role its source gives it and no other.
fn contact_points(
    contact: &Contact,
    hours: Option<Value>,
    text: &dyn Fn(&Localized) -> String,
) -> Vec<Value> {
    let mut consultation = Map::new();
    consultation.insert("@type".into(), "ContactPoint".into());
    consultation.insert("contactType".into(), text(&contact.phone_label).into());
    consultation.insert("telephone".into(), dialled(&contact.phone.value).into());
    if let Some(hours) = hours {
        consultation.insert("hoursAvailable".into(), hours);
    }
    let mut points = vec![Value::Object(consultation)];
    let inquiry = contact.inquiry_phones.iter().flat_map(|f| &f.value);
    for number in inquiry {
        let mut point = Map::new();
        point.insert("@type".into(), "ContactPoint".into());
        if let Some(label) = &contact.inquiry_label {
            point.insert("contactType".into(), text(label).into());
        }
        if let Some(unit) = &contact.inquiry_unit {
            point.insert("name".into(), text(unit).into());
        }
        point.insert("telephone".into(), dialled(number).into());
        points.push(Value::Object(point));
    }
    points
}

/// A number as a phone dials it from anywhere it works (`+81-229-23-0024`), as the
/// page's `tel:` links give it.
fn dialled(number: &PhoneNumber) -> String {
    number
        .tel_uri()
        .strip_prefix("tel:")
        .map(str::to_owned)
        .unwrap_or_default()
}

fn hours(hours: &OpeningHours) -> Value {
    let mut specification = Map::new();
    specification.insert("@type".into(), "OpeningHoursSpecification".into());
    specification.insert(
        "dayOfWeek".into(),
        hours.days.iter().map(|d| day_name(*d)).collect(),
    );
    specification.insert(
        "opens".into(),
        hours.opens.format("%H:%M").to_string().into(),
    );
    specification.insert(
        "closes".into(),
        hours.closes.format("%H:%M").to_string().into(),
    );
    if let Some(from) = hours.valid_from {
        specification.insert(
            "validFrom".into(),
            from.format("%Y-%m-%d").to_string().into(),
        );
    }
    Value::Object(specification)
}

/// schema.org's name of a day (`DayOfWeek`).
fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The text of a page's `<script type="application/ld+json">`: the centre and the
/// page's trail, or `None` when there is neither (a home page of a site without
/// contact details).
pub fn page_data(centre: Option<&str>, trail: &Trail) -> Option<String> {
    let mut graph: Vec<String> = Vec::new();
    if let Some(centre) = centre {
        graph.push(centre.to_owned());
    }
    // The home page shows no breadcrumbs, and a trail of one step says nothing.
    if trail.steps.len() > 1 {
        let items: Vec<Value> = trail
            .steps
            .iter()
            .enumerate()
            .map(|(n, (title, permalink))| {
                json!({
                    "@type": "ListItem",
                    "position": n + 1,
                    "name": ruby::plain(title),
                    "item": permalink,
                })
            })
            .collect();
        let list = json!({"@type": "BreadcrumbList", "itemListElement": items});
        graph.push(escape_for_html(&list.to_string()));
    }
    if graph.is_empty() {
        return None;
    }
    // The centre is the same on every page of a language: joined as text rather than
    // written out again for each.
    Some(format!(
        "{{\"@context\":{},\"@graph\":[{}]}}",
        Value::from(CONTEXT),
        graph.join(",")
    ))
}

/// JSON that reads the same inside an HTML `<script>` element: `<`, `>` and `&` occur
/// in JSON only inside strings, where the escapes `\u003c`, `\u003e` and `\u0026` mean
/// the same characters, so no `</script>` or `<!--` can appear in the element's text.
pub fn escape_for_html(json: &str) -> String {
    let mut escaped = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_text_is_escaped_and_reads_back_the_same() {
        let text = "</script><!-- a & b > c";
        let json = escape_for_html(&json!({ "name": text }).to_string());
        assert!(!json.contains(['<', '>', '&']), "{json}");
        let read: Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(read["name"], text);
    }

    #[test]
    fn a_page_with_neither_centre_nor_trail_has_no_data() {
        let home = Trail {
            steps: vec![("ホーム", "https://example.jp/")],
        };
        assert_eq!(page_data(None, &home), None);
        let page = Trail {
            steps: vec![
                ("ホーム", "https://example.jp/"),
                ("{相談|そうだん}", "https://example.jp/a/"),
            ],
        };
        let data: Value =
            serde_json::from_str(&page_data(None, &page).expect("trail")).expect("JSON");
        let items = &data["@graph"][0]["itemListElement"];
        assert_eq!(items[1]["position"], 2);
        assert_eq!(
            items[1]["name"], "相談",
            "readings are not part of the name"
        );
        assert_eq!(items[1]["item"], "https://example.jp/a/");
    }
}
