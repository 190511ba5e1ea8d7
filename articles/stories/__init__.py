"""Publishing rules and reader queries, once each."""
