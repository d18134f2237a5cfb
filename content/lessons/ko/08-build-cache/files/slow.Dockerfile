FROM busybox
WORKDIR /app
# 폴더 전체를 한 번에 복사해요. app.txt도 여기 들어가요.
COPY . .
# 의존성 "설치": 실제 프로젝트라면 몇 분씩 걸리는 단계예요.
RUN sort deps.txt > installed.txt
CMD ["cat", "app.txt"]
