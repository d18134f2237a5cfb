FROM busybox
WORKDIR /app
# Copy the dependency list first: it rarely changes.
COPY deps.txt .
# As long as deps.txt is the same, this step comes from the cache.
RUN sort deps.txt > installed.txt
# The app file changes often: copy it last.
COPY app.txt .
CMD ["cat", "app.txt"]
