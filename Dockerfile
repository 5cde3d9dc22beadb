# riskreport for compose.yaml: the API (riskreport serve) and the Celery workers (riskreport worker).
FROM python:3.11-slim
# A CJK font for PDF reports (Typst embeds it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-nanum \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir '.[postgres,celery,documents]'
USER nobody
EXPOSE 8000
CMD ["riskreport", "serve", "--host", "0.0.0.0"]
