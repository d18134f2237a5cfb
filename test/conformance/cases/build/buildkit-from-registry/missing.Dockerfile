FROM localhost:5000/nope
RUN true
