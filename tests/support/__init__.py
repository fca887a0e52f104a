"""What the tests share: fixtures' helpers, data, strategies and plugins, one module a concept."""
