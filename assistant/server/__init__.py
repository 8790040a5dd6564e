"""The server side: chat channels, Rasa start-up, conversation and lock stores, the runner."""
