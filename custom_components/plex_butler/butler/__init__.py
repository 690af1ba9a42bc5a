"""The Butler's state machine: what runs, ran and will run, from the server's evidence."""
