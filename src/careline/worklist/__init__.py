"""Front-desk tasks: who must do what, by when, for which patient."""
