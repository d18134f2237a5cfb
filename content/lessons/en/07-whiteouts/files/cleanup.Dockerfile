FROM busybox
RUN seq 1 100000 > /numbers.txt
# Deleted in the next layer: the layer before stays as it is.
RUN rm /numbers.txt
