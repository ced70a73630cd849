"""The language model: the client for any OpenAI-compatible server and its replies' schemas."""
