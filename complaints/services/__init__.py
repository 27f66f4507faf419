"""Rules of the complaints app, one module per feature; views, tasks and the admin call these functions."""
