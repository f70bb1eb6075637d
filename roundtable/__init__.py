"""The `roundtable` command: joins the authoring and the server commands."""
