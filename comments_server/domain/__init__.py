"""Pure rules, no I/O: completion and the plan workflow, peer allocation, xAPI statements, Markdown
rendering, wiki text, dashboard figures and exports, the clock, domain events. Every room may import it."""
