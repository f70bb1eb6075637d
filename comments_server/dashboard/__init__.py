"""The program dashboard (issue 5): figures (pure), snapshots and views, exports, LRS forwarding.

``figures`` computes from cohort snapshots; ``service`` builds and caches the
snapshots from ``store/dashboard.py`` with issue 4's completion rules;
``exports`` turns events into CSV and xAPI statements; ``lrs`` forwards them.
"""
