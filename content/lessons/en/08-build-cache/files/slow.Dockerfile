FROM busybox
WORKDIR /app
# Copy the whole folder at once, app.txt included.
COPY . .
# "Install" the dependencies: in a real project this step takes minutes.
RUN sort deps.txt > installed.txt
CMD ["cat", "app.txt"]
