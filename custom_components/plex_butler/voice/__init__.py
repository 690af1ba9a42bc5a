"""Voice: the sentences Assist hears, the intents behind them and their answers."""
