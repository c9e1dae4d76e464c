"""The web app's routes as FastAPI `APIRouter` modules, each route a module-level function.

- `article`: the article page (`/`, `POST /analyze`) and `POST /api/analyze`;
- `corpus`: the corpus pages (speakers, publishers, quotes, stored articles) and their `/api` twins,
  and `absent`, which answers those paths when the server runs without a corpus;
- `meta`: `/health`, the `/api` page, the error handlers and the 413 answer.

Shared values come from `onrecord.web.deps`; `onrecord.web.app.create_app` only assembles.
"""
