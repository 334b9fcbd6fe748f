.class final Lorg/hypercompat/corpus/insecure_debuggable/FetchTask$Show;
.super Ljava/lang/Object;
.source "FetchTask.java"

# interfaces
.implements Ljava/lang/Runnable;

# annotations
.annotation system Ldalvik/annotation/EnclosingClass;
    value = Lorg/hypercompat/corpus/insecure_debuggable/FetchTask;
.end annotation

.annotation system Ldalvik/annotation/InnerClass;
    accessFlags = 0x18
    name = "Show"
.end annotation


# instance fields
.field private final text:Ljava/lang/String;

.field private final view:Landroid/widget/TextView;


# direct methods
.method constructor <init>(Landroid/widget/TextView;Ljava/lang/String;)V
    .registers 3

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    iput-object p1, p0, Lorg/hypercompat/corpus/insecure_debuggable/FetchTask$Show;->view:Landroid/widget/TextView;

    iput-object p2, p0, Lorg/hypercompat/corpus/insecure_debuggable/FetchTask$Show;->text:Ljava/lang/String;

    return-void
.end method


# virtual methods
.method public run()V
    .registers 3

    iget-object v0, p0, Lorg/hypercompat/corpus/insecure_debuggable/FetchTask$Show;->view:Landroid/widget/TextView;

    iget-object v1, p0, Lorg/hypercompat/corpus/insecure_debuggable/FetchTask$Show;->text:Ljava/lang/String;

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    return-void
.end method
