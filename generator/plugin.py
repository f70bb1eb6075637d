"""The `roundtable` MkDocs plugin: checks the content first, then adds pages, mount points, the widget and catalog.json."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

from generator import a11y, assets, coach, pages, quiz
from generator.catalog import write_catalog
from generator.checks import load_checked, published_pages
from generator.config import RoundtableConfig, project_settings
from generator.mounts import add_widget, module_mounts

log = get_plugin_logger(__name__)


class RoundtablePlugin(BasePlugin[RoundtableConfig]):
    """Turn programs.yml and Markdown modules into a course site with widget mount points."""

    def __init__(self):
        """Start empty; on_config fills everything in."""
        self.project = None
        self.modules = {}  # src_path -> Module, for the per-page hooks
        self.landings = {}  # src_path of an authored program index.md -> Program
        self.pages = 0
        self.progress = None  # set by `roundtable build`: an object with start(total) and advance()
        self.accept_changes = False  # set by `roundtable build --accept-changes`: skip the lock comparison
        self.coach_notes = {}  # module id -> its rendered coach-only blocks, for site/coach-notes.json

    def on_config(self, config):
        """Load and check all content before anything is built, and take the nav from programs.yml."""
        if not self.config.enabled:
            return config
        # Raising here, before MkDocs cleans site/, is what guarantees no half-built site.
        root = Path(config.config_file_path or ".").resolve().parent
        settings = project_settings(config, self.config, root)
        if self.accept_changes:
            settings = dataclasses.replace(settings, lock_file=None)
        # Snippets resolve against the folder of mkdocs.yml, not the working directory, and a missing one is an error.
        if settings.snippet_dirs:
            config.mdx_configs.setdefault("pymdownx.snippets", {}).update(
                base_path=[str(d) for d in settings.snippet_dirs], check_paths=True)
        # Math is rendered in the browser by the KaTeX copy shipped with the generator: no CDN.
        if "pymdownx.arithmatex" in config.markdown_extensions:
            config.mdx_configs.setdefault("pymdownx.arithmatex", {})["generic"] = True
            config.extra_css.append(assets.KATEX_CSS)
            config.extra_javascript.extend(assets.KATEX_SCRIPTS)
        self.project, warnings = load_checked(root, root / self.config.programs_file, config.docs_dir, settings)
        for warning in warnings:
            log.warning(str(warning))
        self.modules = {m.src_path: m for m in self.project.catalog.modules()}
        # An explicit nav in mkdocs.yml wins; otherwise the programs define it.
        if config.nav is None:
            config.nav = pages.nav(self.project.catalog)
        return config

    def on_files(self, files, *, config):
        """Add the home, program landing and dynamic pages the author has not written."""
        if not self.config.enabled:
            return files
        catalog = self.project.catalog
        # A Markdown file no program lists is a draft: check warns about it, and it stays out of the site and search.
        published = published_pages(self.project)
        for file in [f for f in files.documentation_pages() if f.src_uri not in published]:
            files.remove(file)
        existing = set(files.src_uris)
        self.coach_notes = {}  # every build renders them afresh (the preview rebuilds in one process)
        # An authored landing page keeps its text and gets the schedule appended.
        self.landings = {f"{p.id}/index.md": p for p in catalog.programs if f"{p.id}/index.md" in existing}
        for src_path, markdown in pages.generated_files(catalog, config.site_name, existing):
            files.append(File.generated(config, src_path, content=markdown))
        if "pymdownx.arithmatex" in config.markdown_extensions:
            for dest, source in assets.katex_files():
                files.append(File.generated(config, dest, abs_src_path=str(source)))
        self.pages = len(files.documentation_pages())
        if self.progress:
            self.progress.start(2 * self.pages)  # every page is read, then rendered
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        """Take out coach-only blocks, then append each activity's mount point to a module page."""
        if not self.config.enabled:
            return markdown
        self._advance()
        src_path = page.file.src_uri
        module = self.modules.get(src_path)
        # Cut before rendering, so the notes are in neither the page's HTML, its toc nor the search index.
        markdown, blocks = coach.extract(markdown, module.id if module else "")
        if module is not None:
            self.coach_notes[module.id] = coach.render(blocks, page=page, config=config, files=files)
            return markdown + module_mounts(module)
        if blocks:
            log.warning(f"{src_path}: coach-only block(s) left out: only module pages can carry them")
        if src_path in self.landings:
            return markdown + "\n\n" + pages.landing_page(self.landings[src_path], with_title=False)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        """Name each Markdown checklist box by its item's text (pymdownx.tasklist leaves it unlabelled)."""
        if not self.config.enabled:
            return html
        return a11y.label_task_boxes(html)

    def on_post_page(self, output, *, page, config):
        """Load the widget's stylesheet and script on every page; name the theme's search dialog."""
        if not self.config.enabled:
            return output
        self._advance()
        return add_widget(a11y.name_search_dialog(output), self.config.server_url)

    def on_post_template(self, output_content, *, template_name, config):
        """The theme's 404.html gets the widget (sign-in state, bell) and the search dialog's name too."""
        if not self.config.enabled or template_name != "404.html":
            return output_content
        return add_widget(a11y.name_search_dialog(output_content), self.config.server_url)

    def on_post_build(self, *, config):
        """Write quiz-keys.json, catalog.json and coach-notes.json for the server, once every page is built."""
        if self.config.enabled:
            # the keys first: the server syncs when catalog.json changes, and reads the keys with it
            quiz.write_keys(self.project.catalog, config.site_dir)
            write_catalog(self.project.catalog, config.site_dir)
            coach.write_notes(self.coach_notes, config.site_dir)

    def on_serve(self, server, *, config, builder):
        """Rebuild the preview when programs.yml changes, not only the Markdown."""
        if self.config.enabled:
            server.watch(str(Path(config.config_file_path).resolve().parent / self.config.programs_file))
        return server

    def _advance(self):
        """Move the build's progress bar on by one step, if there is one."""
        if self.progress:
            self.progress.advance()
