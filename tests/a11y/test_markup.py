"""The generator's repairs of built HTML (generator/a11y.py): checklist boxes named by their item."""

from __future__ import annotations

from generator.a11y import label_task_boxes, name_search_dialog


def test_custom_checklist_box_is_named_by_its_item_text():
    html = ('<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled checked/>'
            '<span class="task-list-indicator"></span></label> Three <em>open</em> &amp; questions<ul><li>x</li></ul></li>')
    assert '<input type="checkbox" disabled checked aria-label="Three open &amp; questions"/>' in label_task_boxes(html)


def test_plain_checklist_box_in_a_paragraph_is_named_too():
    html = '<li class="task-list-item"><p><input type="checkbox" disabled/> Say "hello"</p></li>'
    assert 'aria-label="Say &quot;hello&quot;"' in label_task_boxes(html)


def test_other_checkboxes_and_named_boxes_are_left_alone():
    html = ('<p><input type="checkbox"/> raw HTML of an author</p>'
            '<li class="task-list-item"><input type="checkbox" disabled aria-label="Mine"/> Text</li>')
    assert label_task_boxes(html) == html


def test_search_dialog_gets_a_name():
    html = '<div class="md-search" data-md-component="search" role="dialog"><form>'
    assert name_search_dialog(html) == '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search"><form>'
