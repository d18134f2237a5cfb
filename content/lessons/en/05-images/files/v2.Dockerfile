# The first two lines are the same as in Dockerfile.
FROM busybox
COPY hello.txt /hello.txt
# From here on it differs: one more layer.
COPY bye.txt /bye.txt
CMD ["cat", "/hello.txt", "/bye.txt"]
