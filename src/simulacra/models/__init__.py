"""Model resolution and loading shared by the stages that need a model (prepare, train, chat, evaluate)."""
