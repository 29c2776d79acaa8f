"""What every app stands on, and knows nothing of issues, pages or articles:
images and uploads, archives and PDFs, characters and validators, settings
from the environment, the health check and read replicas, object storage and
its outages, the request's language and Simplified ⇄ Traditional, versions and
the staff commands' base."""
