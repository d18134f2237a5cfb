FROM busybox
WORKDIR /app
# 의존성 목록만 먼저 복사해요. 자주 바뀌지 않는 파일이에요.
COPY deps.txt .
# deps.txt가 그대로면 이 단계는 캐시에서 와요.
RUN sort deps.txt > installed.txt
# 자주 바뀌는 앱 파일은 맨 나중에 복사해요.
COPY app.txt .
CMD ["cat", "app.txt"]
