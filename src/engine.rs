//! The build: runs the stages in order, once cold and then again for what changed.
//!
//! Owns the sequence load → parse → assemble → claim routes → resolve links → render →
//! sink, and what an [`Engine`] keeps between builds so that a rebuild after an edit
//! does only the work the edit calls for: it re-reads and re-parses only changed files,
//! re-assembles the site only when something other than a page's text changed, and
//! renders only the routes the outputs say the change touches. A rebuild's output always
//! equals a cold build of the same files (tests compare them byte for byte).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::data::{self, Data};
use crate::dates::Moment;
use crate::diagnostics::{Diagnostic, Diagnostics, OutputRefusal, Problem, RouteOwner};
use crate::load::{self, Sources};
use crate::parse::{self, ParsedPage, UnparsedPage};
use crate::precompress::{self, Encoding};
use crate::render::search::SearchDocs;
use crate::render::{self, Body, Changes, Output, RenderCx, is_linked_from_every_page};
use crate::site::routes::{Route, RouteTable};
use crate::site::{self, Publishing, Site, links};
use crate::theme::Theme;
use crate::verify::{Finding, Verifier};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// The theme folder; by default `themes/<theme>` beside the content folder.
    pub theme_dir: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Drafts and scheduled pages are shown (for `serve`), never for `build`.
    pub include_drafts: bool,
    /// Where `serve` shows the site (`http://127.0.0.1:1111`): the site's address keeps
    /// its path and takes this origin, so that every link leads into the preview.
    pub served_from: Option<String>,
    /// What counts as "now" for scheduled announcements. Passed in, never read from the
    /// clock here, so builds are reproducible and tests can pin it.
    pub now: Moment,
}

/// Where rendered files go: a staging folder, memory, or nowhere (for `check`).
pub trait Sink: Sync {
    /// Called once before a build's routes are put, with all of their paths.
    fn prepare(&self, _paths: &[&str]) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn put(&self, path: &str, body: Body) -> Result<(), Diagnostic>;
    /// A route of an earlier build that no longer exists.
    fn remove(&self, path: &str);

    /// Whether the sink is what a server will send, and so wants compressed copies of
    /// the routes worth them (`precompress`) beside them; `serve` and `check` do not.
    fn wants_compressed_copies(&self) -> bool {
        false
    }

    /// A compressed copy of a route just put (`index.html.gz`), at its own path.
    fn put_copy(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.put(path, Body::Bytes(bytes))
    }
}

/// Discards everything: `check` renders every route to find template problems, and
/// keeps nothing.
pub struct NoSink;

impl Sink for NoSink {
    fn put(&self, _path: &str, _body: Body) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn remove(&self, _path: &str) {}
}

/// Keeps the site in memory: `serve`'s preview, and tests comparing builds. Copied
/// files are read, so the map holds every byte the site would have on disk.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: std::sync::Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// Every file, by its path below the output folder.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned()
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, body: Body) -> Result<(), Diagnostic> {
        let bytes = match body {
            Body::Bytes(bytes) => bytes,
            Body::Copy(from) => std::fs::read(&from).map_err(|e| {
                Diagnostic::error(Problem::Unreadable {
                    detail: e.to_string(),
                })
                .in_file(&from)
            })?,
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_owned(), bytes);
        Ok(())
    }

    fn remove(&self, path: &str) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
    }
}

/// What one build found and did.
#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    /// How many routes were rendered (all of them in a cold build).
    pub rendered: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Engine {
    /// What `check` reports beyond a build, as of the build's "now": sources whose facts
    /// are old or undated, announcements about to end, files nothing links to, and a
    /// placeholder `base_url`. `None` before a build.
    pub fn review(&self) -> Option<Vec<Diagnostic>> {
        let state = self.state.as_ref()?;
        let mut found = data::stale_sources(
            &state.data,
            &site::cited_sources(&state.site),
            self.options.now.date(),
        );
        found.extend(data::accessibility::review(
            &state.data.accessibility,
            self.options.now.date(),
        ));
        // The address is located in site.toml only when site.toml gave it.
        let site_toml = crate::config::find(&state.sources.data)
            .filter(|_| self.options.base_url.is_none())
            .map(|file| (file.rel.as_path(), &*file.text));
        found.extend(site::review::review(
            &state.site,
            self.options.now,
            site_toml,
        ));
        Some(found)
    }
}

/// A site that can be built, and built again after its files change.
pub struct Engine {
    options: BuildOptions,
    outputs: Vec<Box<dyn Output>>,
    state: Option<State>,
    /// Whether a rebuild leaves the routes rendered after the others (the site
    /// search's) for [`Engine::render_later`]: the preview shows an edit first.
    defer_later: bool,
    /// What changed since those routes were last rendered.
    pending_later: Option<Changes>,
}

/// Which routes a render takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    All,
    /// All but those an output renders later.
    First,
    /// Only those.
    Later,
}

/// What the engine keeps between builds.
struct State {
    sources: Sources,
    config: SiteConfig,
    theme: Theme,
    data: Data,
    /// Each page file, parsed, by its path below the content folder.
    parsed: BTreeMap<PathBuf, Parsed>,
    site: Site,
    routes: RouteTable,
    /// What lists and menus show of each page, to tell a text edit from a change that
    /// other pages show.
    summaries: BTreeMap<(String, String), PageSummary>,
    /// Problems of `site.toml`, the theme, the data files and files that are not pages:
    /// found again only when one of those changes.
    input_problems: Vec<Diagnostic>,
    /// Problems of the assembled site (translations, routes), found again each time it
    /// is assembled.
    site_problems: Vec<Diagnostic>,
    /// Problems with each page file's links, by file: a page whose text alone changed
    /// has only its own found again.
    link_problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Each page's words as rendered, for the site search: a rebuild renders only what
    /// changed, and the index is made of all of them.
    search_docs: SearchDocs,
}

/// A page file as the parse stage left it.
#[derive(Clone)]
enum Parsed {
    Page(Arc<ParsedPage>, Vec<Diagnostic>),
    Unparsed(UnparsedPage, Vec<Diagnostic>),
    /// A page file that could not even be named (no language in its name).
    Refused(Vec<Diagnostic>),
}

impl Parsed {
    fn problems(&self) -> &[Diagnostic] {
        match self {
            Parsed::Page(_, p) | Parsed::Unparsed(_, p) | Parsed::Refused(p) => p,
        }
    }
}

/// What other pages show of a page: its place in lists, menus and breadcrumbs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageSummary {
    url: String,
    title: String,
    description: Option<String>,
    date: Option<Moment>,
    event_date: Option<Moment>,
    updated: Option<Moment>,
    expires: Option<Moment>,
    draft: bool,
    weight: Option<i64>,
    menu: bool,
    template: Option<String>,
    sources: Vec<String>,
    schedule: site::Schedule,
}

impl PageSummary {
    fn of(page: &site::Page) -> Self {
        let front = &page.parsed.front;
        PageSummary {
            url: page.url.clone(),
            title: front.title.clone(),
            description: front.description.clone(),
            date: front.date,
            event_date: front.event_date,
            updated: front.updated,
            expires: front.expires,
            draft: front.draft,
            weight: front.weight,
            menu: front.menu,
            template: front.template.clone(),
            sources: front.sources.clone(),
            schedule: page.schedule,
        }
    }
}

impl Engine {
    pub fn new(options: BuildOptions) -> Self {
        Engine {
            options,
            outputs: render::outputs(),
            state: None,
            defer_later: false,
            pending_later: None,
        }
    }

    /// Makes every rebuild leave the site search's routes to [`Engine::render_later`].
    pub fn defer_later_routes(&mut self) {
        self.defer_later = true;
    }

    /// Renders the routes a rebuild left for later, if any: what the site search makes
    /// of every page. The report has their problems only.
    pub fn render_later(&mut self, sink: &dyn Sink) -> Option<Report> {
        let changes = self.pending_later.take()?;
        let state = self.state.as_ref()?;
        let mut timer = Timer::start();
        let rendered = self.render_routes(state, Some(&changes), sink, &mut timer, Phase::Later);
        let mut problems = Diagnostics::default();
        problems.extend(rendered.problems);
        Some(finish(
            problems,
            state.site.pages.len(),
            rendered.count,
            timer,
        ))
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The path the site lives under (`/centre/`), as of the last build; `None` if it
    /// could not read `site.toml`.
    pub fn base_path(&self) -> Option<&str> {
        Some(self.state.as_ref()?.config.address.base_path())
    }

    /// Where a link destination goes from the page at `page_url`, as of the last build;
    /// `None` before one.
    pub fn resolve_link(
        &self,
        dest: &str,
        page_url: &str,
        lang: &str,
    ) -> Option<Result<site::Target, Problem>> {
        let state = self.state.as_ref()?;
        Some(links::resolve_dest(
            &state.site,
            &state.routes,
            dest,
            page_url,
            lang,
        ))
    }

    /// The theme folder of the last build, if it got that far.
    pub fn theme_dir(&self) -> Option<&Path> {
        Some(&self.state.as_ref()?.theme.dir)
    }

    /// Builds everything from the files on disk, into `sink`.
    pub fn build(&mut self, sink: &dyn Sink) -> Report {
        let mut timer = Timer::start();
        let mut diagnostics = Diagnostics::default();
        self.state = None;
        if let Err(d) = load::require_content_folder(&self.options.content) {
            diagnostics.push(d);
            return finish(diagnostics, 0, 0, timer);
        }
        let (sources, load_problems) = load::load(&self.options.content);
        timer.lap("load");
        let (config, theme, data, mut input_problems) = match self.inputs(&sources) {
            Ok(inputs) => inputs,
            Err(problems) => {
                diagnostics.extend(load_problems);
                diagnostics.extend(problems);
                return finish(diagnostics, 0, 0, timer);
            }
        };
        // A page file that cannot be decoded keeps its problem with its parse, so that
        // fixing it clears it.
        let (page_problems, other): (Vec<_>, Vec<_>) = load_problems
            .into_iter()
            .partition(|d| d.location.as_ref().is_some_and(|l| is_page_source(&l.file)));
        input_problems.extend(other);
        let languages = config.language_codes();
        let easy_japanese = config.easy_japanese();
        let mut parsed: BTreeMap<PathBuf, Parsed> = sources
            .pages
            .par_iter()
            .map(|f| {
                let parsed = parse_file(f, &languages, &easy_japanese, &data, &theme);
                (f.rel.clone(), parsed)
            })
            .collect();
        // A page file that was not read at all (a symbolic link) has no parse to keep
        // its warning with: it is kept as a page refused, so that the warning is shown
        // and a link to it is reported as going nowhere, as it does once published.
        let mut not_read: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in &page_problems {
            if let Some(location) = &d.location
                && !sources.unreadable_pages.contains(&location.file)
                && !parsed.contains_key(&location.file)
            {
                not_read
                    .entry(location.file.clone())
                    .or_default()
                    .push(d.clone());
            }
        }
        for (rel, problems) in not_read {
            parsed.insert(rel, Parsed::Refused(problems));
        }
        for rel in &sources.unreadable_pages {
            let problems = page_problems
                .iter()
                .filter(|d| d.location.as_ref().is_some_and(|l| &l.file == rel))
                .cloned()
                .collect();
            parsed.insert(rel.clone(), unreadable(rel, &languages, problems));
        }
        timer.lap("parse");
        let state = self.assemble(sources, config, theme, data, parsed, input_problems);
        timer.lap("link");
        self.pending_later = None;
        let rendered = self.render_routes(&state, None, sink, &mut timer, Phase::All);
        let report = state.report(rendered, timer);
        self.state = Some(state);
        report
    }

    /// Builds again after `changed` files (in the content folder or the theme folder,
    /// absolute or relative to the content folder) were written, added or deleted:
    /// only what they affect is redone.
    pub fn rebuild(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Report {
        let Some(mut state) = self.state.take() else {
            return self.build(sink);
        };
        let mut timer = Timer::start();
        let Some(pages_changed) = self.changed_pages(&state, changed) else {
            // Everything is built again; files of routes that are gone are removed. A
            // site that cannot be built at all (`site.toml` unreadable) has no routes: a
            // cold build writes nothing, and a page deleted meanwhile must not be left
            // for the build after the fix, which starts from no state, to keep.
            let report = self.build(sink);
            for route in state.routes.routes() {
                if self
                    .state
                    .as_ref()
                    .is_none_or(|new| new.routes.by_path(&route.path).is_none())
                {
                    sink.remove(&route.path);
                }
            }
            return report;
        };
        let languages = state.config.language_codes();
        let easy_japanese = state.config.easy_japanese();
        let mut texts_only = true;
        for rel in &pages_changed {
            let now = match state.sources.reread_page(&self.options.content, rel) {
                load::Reread::Text(file) => Some(parse_file(
                    &file,
                    &languages,
                    &easy_japanese,
                    &state.data,
                    &state.theme,
                )),
                load::Reread::Unreadable(problem) => {
                    Some(unreadable(rel, &languages, vec![problem]))
                }
                load::Reread::NotFollowed(warning) => Some(Parsed::Refused(vec![warning])),
                load::Reread::Gone => None,
            };
            let before = state.parsed.get(rel);
            texts_only &= matches!(
                (before, &now),
                (Some(Parsed::Page(..)), Some(Parsed::Page(..)))
            );
            match now {
                Some(p) => state.parsed.insert(rel.clone(), p),
                None => state.parsed.remove(rel),
            };
        }
        timer.lap("parse");
        let patched = if texts_only {
            self.patch_texts(&mut state, &pages_changed)
        } else {
            None
        };
        let changes = match patched {
            Some(changes) => changes,
            None => {
                let State {
                    sources,
                    config,
                    theme,
                    data,
                    parsed,
                    summaries: before,
                    input_problems,
                    routes: old_routes,
                    site: old_site,
                    search_docs,
                    ..
                } = state;
                state = self.assemble(sources, config, theme, data, parsed, input_problems);
                state.search_docs = search_docs;
                for route in old_routes.routes() {
                    if state.routes.by_path(&route.path).is_none() {
                        sink.remove(&route.path);
                    }
                }
                summary_changes(&before, &old_site, &state)
            }
        };
        timer.lap("link");
        let phase = if self.defer_later {
            match &mut self.pending_later {
                Some(pending) => pending.merge(&changes),
                None => self.pending_later = Some(changes.clone()),
            }
            Phase::First
        } else {
            Phase::All
        };
        let rendered = self.render_routes(&state, Some(&changes), sink, &mut timer, phase);
        let report = state.report(rendered, timer);
        self.state = Some(state);
        report
    }

    /// The page files among `changed`, below the content folder; `None` if anything
    /// else changed (a data file, `site.toml`, a download, the theme, a file the site
    /// ignores, a folder), after which everything is built again.
    fn changed_pages(&self, state: &State, changed: &[PathBuf]) -> Option<BTreeSet<PathBuf>> {
        let content = &self.options.content;
        let content_abs = content.canonicalize().unwrap_or_else(|_| content.clone());
        let mut pages = BTreeSet::new();
        for path in changed {
            if path.starts_with(&state.theme.dir) {
                return None;
            }
            let rel = path
                .strip_prefix(&content_abs)
                .or_else(|_| path.strip_prefix(content))
                .map(Path::to_path_buf)
                .ok()
                .or_else(|| path.is_relative().then(|| path.clone()))?;
            // Named as loading names it: `./about.ja.md` is `about.ja.md`, or the page
            // would be read in twice under two names. A path that climbs (`../`) is
            // not understood here: everything is built again.
            let mut plain = PathBuf::new();
            for part in rel.components() {
                match part {
                    std::path::Component::CurDir => {}
                    std::path::Component::Normal(name) => plain.push(name),
                    _ => return None,
                }
            }
            let rel = plain;
            // Editor leftovers (`.about.ja.md.swp`, `~$about.ja.md`) are never content:
            // a save that writes one needs no rebuild for it.
            if rel
                .components()
                .any(|c| load::is_hidden_or_temporary(c.as_os_str()))
            {
                continue;
            }
            match load::kind_of(&rel) {
                load::Kind::Page => {
                    pages.insert(rel);
                }
                // A file the site does not use still counts: it is reported, so that
                // nobody waits for it to appear; and a folder's path stands for every
                // page inside it, added or removed at once. Only loading again tells.
                load::Kind::Ignored | load::Kind::Data | load::Kind::Asset => return None,
            }
        }
        Some(pages)
    }

    /// `site.toml`, the theme and the data files, with their problems; `Err` if the site
    /// cannot be built at all (no usable `site.toml` or theme).
    #[allow(clippy::type_complexity)]
    fn inputs(
        &self,
        sources: &Sources,
    ) -> Result<(SiteConfig, Theme, Data, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut config = read_config(sources, &self.options)?;
        if let Some(url) = &self.options.base_url {
            config.set_base_url(url).map_err(|d| vec![d])?;
        }
        if let Some(origin) = &self.options.served_from
            && let Some(address) = config.address.served_from(origin)
        {
            config.address = address;
        }
        let theme_dir = self
            .options
            .theme_dir
            .clone()
            .unwrap_or_else(|| config.default_theme_dir(&self.options.content));
        // Absolute, so messages about theme files are not mistaken for content paths.
        let theme_dir = theme_dir.canonicalize().unwrap_or(theme_dir);
        let theme = match Theme::load(&theme_dir, &config) {
            Ok((theme, warnings)) => {
                problems.extend(warnings);
                theme
            }
            Err(found) => return Err(found),
        };
        let (data, found) = data::load(sources, &config);
        problems.extend(found);
        Ok((config, theme, data, problems))
    }

    /// Assembles the site from parsed pages, claims every route and resolves every link.
    fn assemble(
        &self,
        sources: Sources,
        config: SiteConfig,
        theme: Theme,
        data: Data,
        parsed: BTreeMap<PathBuf, Parsed>,
        mut input_problems: Vec<Diagnostic>,
    ) -> State {
        let mut problems = Vec::new();
        let publishing = Publishing {
            include_drafts: self.options.include_drafts,
            now: self.options.now,
        };
        let mut pages = Vec::new();
        let mut unparsed = Vec::new();
        for p in parsed.values() {
            match p {
                Parsed::Page(page, _) => pages.push(Arc::clone(page)),
                Parsed::Unparsed(u, _) => unparsed.push(u.clone()),
                Parsed::Refused(_) => {}
            }
        }
        let (mut site, found) = site::assemble(
            config.clone(),
            pages,
            unparsed,
            sources.assets.clone(),
            data.clone(),
            publishing,
        );
        problems.extend(found);
        let claims = self
            .outputs
            .iter()
            .enumerate()
            .flat_map(|(i, o)| o.claims(&site, &theme, i))
            .collect();
        let (routes, found) = RouteTable::new(claims);
        problems.extend(found);
        problems.extend(links::resolve_alternatives(&mut site, &routes));
        problems.extend(links::tested_pages_gone(&site, &routes));
        // A download whose content a page gives too keeps no reader out for want of
        // tags or text: those findings go.
        input_problems.retain(|d| !has_an_alternative(d, &site));
        let mut link_problems: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in links::resolve(&mut site, &routes) {
            let file = d
                .location
                .as_ref()
                .map(|l| l.file.clone())
                .unwrap_or_default();
            link_problems.entry(file).or_default().push(d);
        }
        if !site.config.address.is_host_root() {
            problems.push(Diagnostic::notice(Problem::RobotsNotWritten {
                base_url: site.config.address.base_url().to_owned(),
            }));
        }
        let summaries = site
            .pages
            .iter()
            .map(|p| ((p.key.clone(), p.lang().to_owned()), PageSummary::of(p)))
            .collect();
        State {
            sources,
            config,
            theme,
            data,
            parsed,
            site,
            routes,
            summaries,
            input_problems,
            site_problems: problems,
            link_problems,
            search_docs: SearchDocs::default(),
        }
    }

    /// After only the text of published pages changed: swaps in their new parse and
    /// resolves their links, without assembling the site again. `None` if a change
    /// turns out to reach other pages (a title, a date, a URL), which needs assembling.
    fn patch_texts(&self, state: &mut State, changed: &BTreeSet<PathBuf>) -> Option<Changes> {
        let mut changes = Changes::default();
        let mut updates = Vec::new();
        for rel in changed {
            let Some(Parsed::Page(parsed, _)) = state.parsed.get(rel) else {
                return None;
            };
            let source = crate::load::slash_path(rel);
            let index = state.site.page_index_by_source(&source)?;
            let mut page = state.site.pages[index].clone();
            // Problems of the assembled site point at front-matter lines (a translation's
            // differing `date`): once those lines move, only assembling finds them anew.
            if page.parsed.front.key_lines != parsed.front.key_lines {
                return None;
            }
            page.parsed = Arc::clone(parsed);
            let key = (page.key.clone(), page.lang().to_owned());
            if state.summaries.get(&key) != Some(&PageSummary::of(&page)) {
                return None;
            }
            updates.push((index, page, key));
        }
        for (index, mut page, key) in updates {
            let (links, problems) = links::resolve_one(&state.site, &state.routes, &page);
            page.links = links;
            state
                .link_problems
                .insert(page.parsed.source.clone(), problems);
            state.site.pages[index] = page;
            changes.texts.insert(key);
        }
        Some(changes)
    }

    /// Renders the routes `changes` touch (all of them without), in parallel, into
    /// `sink`; returns how many.
    fn render_routes(
        &self,
        state: &State,
        changes: Option<&Changes>,
        sink: &dyn Sink,
        timer: &mut Timer,
        phase: Phase,
    ) -> Rendered {
        let (cx, mut problems) =
            RenderCx::new(&state.site, &state.routes, &state.theme, &state.search_docs);
        // The site search's files and page are made from the pages as rendered, so they
        // come after every other route.
        let in_phase = |r: &Route| match phase {
            Phase::All => true,
            Phase::First => !self.outputs[r.output].later(r, &cx),
            Phase::Later => self.outputs[r.output].later(r, &cx),
        };
        let routes: Vec<_> = state
            .routes
            .routes()
            .iter()
            .filter(|r| in_phase(r))
            .filter(|r| changes.is_none_or(|c| self.outputs[r.output].affected(r, c, &cx)))
            .collect();
        let paths: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
        if let Err(d) = sink.prepare(&paths) {
            problems.push(d);
            return Rendered { count: 0, problems };
        }
        let verifier = Verifier::new(state.config.address.base_url());
        let copies = sink.wants_compressed_copies() && state.config.hosting.precompress;
        // Nanoseconds summed over the threads: rendering a route whole, and verifying it.
        let route_nanos = AtomicU64::new(0);
        let verify_nanos = AtomicU64::new(0);
        let render = |route: &&Route| {
            let started = Instant::now();
            let result = self.render_one(route, &cx, sink, &verifier, copies, &verify_nanos);
            route_nanos.fetch_add(nanos_since(started), Ordering::Relaxed);
            result
        };
        let (later, first): (Vec<&Route>, Vec<&Route>) = routes
            .iter()
            .partition(|r| self.outputs[r.output].later(r, &cx));
        let mut results: BTreeMap<&str, Result<(), RouteProblem>> = first
            .par_iter()
            .map(|r| (r.path.as_str(), render(r)))
            .collect();
        timer.split_lap(
            "render",
            "verify",
            verify_nanos.swap(0, Ordering::Relaxed),
            route_nanos.swap(0, Ordering::Relaxed),
        );
        if !later.is_empty() {
            cx.search.prepare(&state.site, &later);
        }
        results.extend(
            later
                .par_iter()
                .map(|r| (r.path.as_str(), render(r)))
                .collect::<Vec<_>>(),
        );
        if !later.is_empty() {
            timer.lap("search");
        }
        let results: Vec<Result<(), RouteProblem>> = routes
            .iter()
            .map(|r| results.remove(r.path.as_str()).unwrap_or(Ok(())))
            .collect();
        let mut refused: BTreeMap<OutputRefusal, Refused> = BTreeMap::new();
        let input_errors = state.files_with_errors();
        for (route, result) in routes.iter().zip(results) {
            match result {
                Ok(()) => {}
                Err(RouteProblem::Failed(d)) => problems.push(*d),
                Err(RouteProblem::Refused(_)) if told_already(route, input_errors.as_ref()) => {}
                Err(RouteProblem::Refused(findings)) => {
                    for finding in findings {
                        refused
                            .entry(finding.refusal)
                            .and_modify(|r| r.others += 1)
                            .or_insert(Refused {
                                route,
                                line: finding.line,
                                others: 0,
                            });
                    }
                }
            }
        }
        problems.extend(
            refused
                .into_iter()
                .map(|(refusal, r)| refused_output(refusal, r)),
        );
        Rendered {
            count: routes.len(),
            problems,
        }
    }

    /// Renders one route, verifies what it renders, and puts it in `sink`. A failure or
    /// a refusal removes what an earlier build put there: a cold build would write
    /// nothing there either.
    fn render_one(
        &self,
        route: &Route,
        cx: &RenderCx,
        sink: &dyn Sink,
        verifier: &Verifier,
        copies: bool,
        verify_nanos: &AtomicU64,
    ) -> Result<(), RouteProblem> {
        let failed = |d: Diagnostic| {
            sink.remove(&route.path);
            RouteProblem::Failed(Box::new(d))
        };
        let body = self.outputs[route.output]
            .render(route, cx)
            .map_err(failed)?;
        let started = Instant::now();
        let findings = match &body {
            Body::Bytes(bytes) => verifier.verify(&route.path, bytes),
            // Read only when its kind has a reader; documents and images pass by kind.
            Body::Copy(from) if Verifier::reads(&route.path) => {
                match verifier.verify_file(&route.path, from) {
                    Ok(findings) => findings,
                    Err(e) => {
                        return Err(failed(
                            Diagnostic::error(Problem::Unreadable {
                                detail: e.to_string(),
                            })
                            .in_file(from),
                        ));
                    }
                }
            }
            Body::Copy(_) => verifier.verify(&route.path, &[]),
        };
        verify_nanos.fetch_add(nanos_since(started), Ordering::Relaxed);
        if !findings.is_empty() {
            sink.remove(&route.path);
            return Err(RouteProblem::Refused(findings));
        }
        let copies = Self::compressed_copies(route, &body, copies, verify_nanos)?;
        sink.put(&route.path, body)
            .map_err(|d| RouteProblem::Failed(Box::new(d)))?;
        for (encoding, copy) in copies {
            sink.put_copy(&format!("{}{}", route.path, encoding.suffix()), copy)
                .map_err(|d| RouteProblem::Failed(Box::new(d)))?;
        }
        Ok(())
    }

    /// The compressed copies of a verified route, each verified as a browser reads it;
    /// none unless the sink is what servers send and `site.toml` wants them.
    fn compressed_copies(
        route: &Route,
        body: &Body,
        wanted: bool,
        verify_nanos: &AtomicU64,
    ) -> Result<Vec<(Encoding, Vec<u8>)>, RouteProblem> {
        if !wanted {
            return Ok(Vec::new());
        }
        let read;
        let bytes: &[u8] = match body {
            Body::Bytes(bytes) => bytes,
            Body::Copy(from) => {
                if precompress::copies_for(&route.path, usize::MAX).is_empty() {
                    return Ok(Vec::new());
                }
                read = std::fs::read(from).map_err(|e| {
                    RouteProblem::Failed(Box::new(
                        Diagnostic::error(Problem::Unreadable {
                            detail: e.to_string(),
                        })
                        .in_file(from),
                    ))
                })?;
                &read
            }
        };
        let encodings = precompress::copies_for(&route.path, bytes.len());
        let mut copies = Vec::with_capacity(encodings.len());
        for &encoding in encodings {
            let copy = encoding.encode(bytes);
            let started = Instant::now();
            let findings = Verifier::verify_copy(bytes, encoding, &copy);
            verify_nanos.fetch_add(nanos_since(started), Ordering::Relaxed);
            if !findings.is_empty() {
                return Err(RouteProblem::Refused(findings));
            }
            copies.push((encoding, copy));
        }
        Ok(copies)
    }
}

/// Whether a finding inside a download is one an HTML page with the same content
/// answers (no tags, no text, protected), for a file `publications.toml` gives one.
fn has_an_alternative(d: &Diagnostic, site: &site::Site) -> bool {
    use crate::diagnostics::DownloadFinding::{PdfLocked, PdfNoText, PdfUntagged};
    let Problem::InaccessibleDownload { finding } = &d.problem else {
        return false;
    };
    if !matches!(finding, PdfUntagged | PdfNoText | PdfLocked) {
        return false;
    }
    d.location.as_ref().is_some_and(|l| {
        let file = l.file.to_string_lossy().replace('\\', "/");
        site.alternatives.contains_key(&file)
    })
}

/// Why a route was not put in the sink.
enum RouteProblem {
    /// It could not be rendered, read or written. Boxed, as most routes succeed and a
    /// result is carried for each.
    Failed(Box<Diagnostic>),
    /// The output verifier refused what it rendered.
    Refused(Vec<Finding>),
}

/// The first file with one refusal, and how many others have it too: a template's
/// mistake is in every page, and is one mistake.
struct Refused<'r> {
    route: &'r Route,
    line: Option<usize>,
    others: usize,
}

/// Whether a route's refusals would only repeat errors the input checks reported: a
/// page or a download from a file with errors, or a file made from many pages (a feed, a list, the
/// sitemap) while any has one. One mistake gives one message; the build fails either
/// way, and what the input checks did not see shows once those errors are fixed.
fn told_already(route: &Route, input_errors: Option<&BTreeSet<PathBuf>>) -> bool {
    let Some(files) = input_errors else {
        return false;
    };
    match &route.owner {
        RouteOwner::Page { source } | RouteOwner::File { source } => files.contains(source),
        RouteOwner::ListPage { .. } | RouteOwner::Feed { .. } | RouteOwner::Generated { .. } => {
            true
        }
    }
}

/// A refusal as an error, located at the file the output came from when it has one.
fn refused_output(refusal: OutputRefusal, refused: Refused) -> Diagnostic {
    let owner = &refused.route.owner;
    let d = Diagnostic::error(Problem::OutputRefused {
        output: refused.route.path.clone(),
        line: refused.line,
        refusal: Box::new(refusal),
        copied: matches!(owner, RouteOwner::File { .. }),
        others: refused.others,
    });
    match owner {
        RouteOwner::Page { source }
        | RouteOwner::ListPage { source, .. }
        | RouteOwner::File { source }
        | RouteOwner::Feed { source } => d.in_file(source),
        RouteOwner::Generated { .. } => d,
    }
}

fn nanos_since(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Routes rendered, and the problems rendering found.
struct Rendered {
    count: usize,
    problems: Vec<Diagnostic>,
}

impl State {
    /// The files the input checks found errors in, if they found any: their outputs'
    /// refusals repeat what those errors say at their line.
    fn files_with_errors(&self) -> Option<BTreeSet<PathBuf>> {
        let errors: Vec<&Diagnostic> = self
            .parsed
            .values()
            .flat_map(Parsed::problems)
            .chain(&self.input_problems)
            .chain(&self.site_problems)
            .chain(self.link_problems.values().flatten())
            .filter(|d| d.is_error())
            .collect();
        if errors.is_empty() {
            return None;
        }
        Some(
            errors
                .into_iter()
                .filter_map(|d| d.location.as_ref().map(|l| l.file.clone()))
                .collect(),
        )
    }

    fn report(&self, rendered: Rendered, timer: Timer) -> Report {
        let mut diagnostics = Diagnostics::default();
        for parsed in self.parsed.values() {
            diagnostics.extend(parsed.problems().iter().cloned());
        }
        diagnostics.extend(self.input_problems.iter().cloned());
        diagnostics.extend(self.site_problems.iter().cloned());
        diagnostics.extend(self.link_problems.values().flatten().cloned());
        diagnostics.extend(rendered.problems);
        Report {
            diagnostics: diagnostics.into_sorted(),
            pages: self.site.pages.len(),
            rendered: rendered.count,
            timings: timer.laps,
        }
    }
}

fn finish(diagnostics: Diagnostics, pages: usize, rendered: usize, timer: Timer) -> Report {
    Report {
        diagnostics: diagnostics.into_sorted(),
        pages,
        rendered,
        timings: timer.laps,
    }
}

/// Whether a path names a page file (`about.ja.md`), whose problems are kept with its
/// parse rather than with the site's.
fn is_page_source(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// Parses one page file, keeping its problems with it.
fn parse_file(
    file: &load::SourceFile,
    languages: &[String],
    easy_japanese: &BTreeMap<String, usize>,
    data: &Data,
    theme: &Theme,
) -> Parsed {
    let rules = parse::Rules {
        languages,
        glossary: &data.glossary,
        locales: theme.locales(),
        easy_japanese,
    };
    let mut parsed = parse::parse_pages(std::slice::from_ref(file), &[], rules);
    let problems = std::mem::take(&mut parsed.problems);
    match (parsed.pages.pop(), parsed.unparsed.pop()) {
        (Some(page), _) => Parsed::Page(Arc::new(page), problems),
        (None, Some(u)) => Parsed::Unparsed(u, problems),
        (None, None) => Parsed::Refused(problems),
    }
}

/// A page file that could not be read as text: it counts as present, with its problem.
fn unreadable(rel: &Path, languages: &[String], problems: Vec<Diagnostic>) -> Parsed {
    let rules = parse::Rules {
        languages,
        glossary: &Default::default(),
        locales: &BTreeMap::new(),
        easy_japanese: &BTreeMap::new(),
    };
    let parsed = parse::parse_pages(&[], &[rel.to_path_buf()], rules);
    match parsed.unparsed.into_iter().next() {
        Some(u) => Parsed::Unparsed(u, problems),
        None => Parsed::Refused(problems),
    }
}

/// What other pages show that changed between two assemblies of the site, and which
/// pages render differently themselves.
fn summary_changes(
    before: &BTreeMap<(String, String), PageSummary>,
    old_site: &Site,
    after: &State,
) -> Changes {
    let mut changes = Changes::default();
    let site = &after.site;
    let keys: BTreeSet<&(String, String)> = before.keys().chain(after.summaries.keys()).collect();
    for key in keys {
        let (old, new) = (before.get(key), after.summaries.get(key));
        if old == new {
            continue;
        }
        changes.summaries.insert(key.clone());
        let in_menu = old.is_some_and(|s| s.menu) || new.is_some_and(|s| s.menu);
        if in_menu || is_linked_from_every_page(site, &key.0) {
            changes.languages.insert(key.1.clone());
        }
    }
    // Compared with the site before: the new site was assembled from `after.parsed`
    // itself, so comparing with that never finds a difference.
    for p in &site.pages {
        let Some(old) = old_site.page(&p.key, p.lang()) else {
            continue;
        };
        let key = (p.key.clone(), p.lang().to_owned());
        // A page that became a section (pages were put inside it) is shown with them
        // in the HTML site map, though nothing it shows of itself changed.
        if old.kind != p.kind {
            changes.summaries.insert(key.clone());
        }
        // A page whose text changed without its summary still renders anew, and so
        // does one whose links now lead elsewhere: a page it links to was renamed,
        // deleted, withheld or broken, and its `href` follows.
        if !Arc::ptr_eq(&old.parsed, &p.parsed) || old.links != p.links {
            changes.texts.insert(key);
        }
    }
    changes
}

fn read_config(sources: &Sources, options: &BuildOptions) -> Result<SiteConfig, Vec<Diagnostic>> {
    let Some(file) = crate::config::find(&sources.data) else {
        // Loading reported a site.toml it could not read; "missing" would be untrue.
        if sources.is_unreadable_data(Path::new(crate::config::FILE_NAME)) {
            return Err(Vec::new());
        }
        return Err(vec![
            Diagnostic::error(Problem::MissingConfig).in_file(&options.content.join("site.toml")),
        ]);
    };
    SiteConfig::parse(file)
}

/// The time each stage took, for `build --timings`.
#[derive(Default)]
struct Timer {
    laps: Vec<(&'static str, Duration)>,
    last: Option<Instant>,
}

impl Timer {
    fn start() -> Self {
        Timer {
            laps: Vec::new(),
            last: Some(Instant::now()),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let since = self.last.unwrap_or(now);
        self.laps.push((stage, now - since));
        self.last = Some(now);
    }

    /// Ends a stage that ran on many threads and split it in two: `part` of it, by the
    /// share of the threads' time (`part_nanos` of `whole_nanos`) that went to it. So
    /// the laps still add up to the time the build took, and the part's lap is what it
    /// added to it.
    fn split_lap(
        &mut self,
        stage: &'static str,
        part: &'static str,
        part_nanos: u64,
        whole_nanos: u64,
    ) {
        self.lap(stage);
        let Some((_, took)) = self.laps.pop() else {
            return;
        };
        let share = if whole_nanos == 0 {
            0.0
        } else {
            (part_nanos as f64 / whole_nanos as f64).min(1.0)
        };
        let part_took = took.mul_f64(share);
        self.laps.push((stage, took - part_took));
        self.laps.push((part, part_took));
    }
}
