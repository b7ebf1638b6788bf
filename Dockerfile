# One image for the API and the projection worker.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY pool ./pool
COPY projections ./projections
COPY api ./api
COPY demo ./demo
# The message catalogues are compiled before the install so that the package carries the .mo files.
RUN pip install --no-cache-dir "babel>=2.14" && pybabel compile -d api/locale -D messages && pip install --no-cache-dir .
RUN useradd --system --home /app familjepool && mkdir -p /app/var && chown familjepool /app/var
USER familjepool
EXPOSE 8000
CMD ["familjepool", "serve", "--host", "0.0.0.0", "--port", "8000"]
