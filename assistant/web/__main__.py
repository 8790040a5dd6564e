"""`python -m assistant.web`: serve the demonstration pages (started by `assistant run`)."""

from assistant.web.server import main

main()
