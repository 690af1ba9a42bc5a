"""Voice: the sentences Assist hears, the intents behind them, their answers and LLM tools."""
