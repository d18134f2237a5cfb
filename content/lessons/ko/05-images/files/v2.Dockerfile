# 앞의 두 줄은 Dockerfile과 똑같아요.
FROM busybox
COPY hello.txt /hello.txt
# 여기서부터 달라요. 레이어가 하나 더 생겨요.
COPY bye.txt /bye.txt
CMD ["cat", "/hello.txt", "/bye.txt"]
