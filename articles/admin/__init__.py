"""The editors' desk in Django's admin. The model admins are registered by ArticlesConfig.ready(),
because this package also holds the admin site class, which Django imports before autodiscovery."""
