"""Pages: what the server-rendered pages need besides the JSON API.

What other domains (the OGC API's HTML pages) may use is exported here.
"""

from app.services.pages.site import demo_data_present, page_config

__all__ = ["demo_data_present", "page_config"]
